package io.berth.apiserver.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.berth.apiserver.registry.ResourceType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Objects to and from JSON through their fabric8 model classes. Reading into the
 * model class checks the shape (a string where a map belongs is a 400, as in
 * Kubernetes); unknown fields survive in the classes' additionalProperties, so an
 * object is stored and returned faithfully.
 */
public final class ObjectCodec {
  /**
   * java.time support because some model fields are ZonedDateTime (a Lease's acquireTime and
   * renewTime), written as strings in the format the model's annotations give.
   */
  public static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private ObjectCodec() {}

  /** A request body as an object of {@code type}; kind and apiVersion, when given, must be the type's. */
  public static HasMetadata decodeBody(byte[] body, ResourceType type) {
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (IOException e) {
      throw Statuses.badRequest("the body of the request could not be decoded as JSON: " + firstLine(e));
    }
    if (!(tree instanceof ObjectNode object)) {
      throw Statuses.badRequest("the body of the request must be a JSON object");
    }
    requireField(object, "kind", type.kind());
    requireField(object, "apiVersion", type.apiVersion());
    // Clients may leave them out (the URL says what the object is); stored objects carry them.
    object.put("kind", type.kind());
    object.put("apiVersion", type.apiVersion());
    try {
      return JSON.treeToValue(object, type.modelClass());
    } catch (JsonProcessingException e) {
      throw Statuses.badRequest("the body of the request is not a valid " + type.kind() + ": " + firstLine(e));
    }
  }

  /** An object read back from the store (written by this codec, so it decodes). */
  public static HasMetadata decodeStored(byte[] value, ResourceType type) {
    try {
      return JSON.readValue(value, type.modelClass());
    } catch (IOException e) {
      String encryptedWith = encryptionPrefix(value);
      if (encryptedWith != null) {
        // Ciphertext reached the codec: the server's encryption provider config lacks the key.
        throw Statuses.internal("stored " + type.kind() + " is encrypted (" + encryptedWith + ") with a key "
            + "this server's --encryption-provider-config does not list");
      }
      throw Statuses.internal("stored " + type.kind() + " could not be decoded: " + firstLine(e));
    }
  }

  /** "k8s:enc:aesgcm:v1:KEYNAME" when the value starts with Kubernetes' encryption prefix, else null. */
  private static String encryptionPrefix(byte[] value) {
    String start = new String(value, 0, Math.min(value.length, 120), java.nio.charset.StandardCharsets.ISO_8859_1);
    if (!start.startsWith("k8s:enc:")) {
      return null;
    }
    int colons = 0;
    for (int i = 0; i < start.length(); i++) {
      if (start.charAt(i) == ':' && ++colons == 5) {
        return start.substring(0, i);
      }
    }
    return "k8s:enc:";
  }

  public static byte[] encode(Object object) {
    try {
      return JSON.writeValueAsBytes(object);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode toTree(Object object) {
    return JSON.valueToTree(object);
  }

  private static void requireField(ObjectNode object, String field, String expected) {
    JsonNode given = object.get(field);
    if (given != null && !given.isNull() && !given.asText().equals(expected)) {
      throw Statuses.badRequest("the " + field + " of the object (" + given.asText() + ") does not match the "
          + field + " of the URL (" + expected + ")");
    }
  }

  private static String firstLine(Exception e) {
    String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
  }
}
