package io.berth.client.transport;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the client, shared (ObjectMapper is thread-safe once configured). */
public final class Json {
  /**
   * Unknown fields are tolerated (a newer server may send fields this model lacks; the
   * fabric8 classes keep them in additionalProperties); nulls are left out, as the
   * Kubernetes API writes objects.
   */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private Json() {}
}
