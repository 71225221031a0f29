package io.berth.client.transport;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapper of the client, shared (ObjectMapper is thread-safe once configured). */
public final class Json {
  /**
   * Unknown fields are tolerated (a newer server may send fields this model lacks; the
   * fabric8 classes keep them in additionalProperties); nulls are left out, as the
   * Kubernetes API writes objects. java.time support because some model fields are
   * ZonedDateTime (a Lease's acquireTime and renewTime), written as the strings the model's
   * annotations format.
   */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private Json() {}
}
