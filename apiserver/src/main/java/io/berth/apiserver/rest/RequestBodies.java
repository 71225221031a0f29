package io.berth.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.berth.apiserver.protobuf.KubeProtobuf;
import java.io.IOException;
import java.util.Locale;

/**
 * Request bodies in the formats clients send, as the JSON the handlers read: JSON
 * as is, Kubernetes protobuf for the kinds {@link KubeProtobuf} decodes, JSON merge
 * patches for PATCH. Anything else (YAML, the other patch types, protobuf of other
 * kinds) is answered 415 for now.
 */
final class RequestBodies {
  private RequestBodies() {}

  /** The body as JSON; called only once the verb is known to take a body, so a 405 comes before a 415. */
  static byte[] asJson(String contentType, byte[] body) {
    if (body.length == 0) {
      return body;
    }
    String mediaType = mediaType(contentType);
    if (mediaType.isEmpty() || mediaType.equals("application/json")) {
      // No Content-Type at all is curl's habit; read it as JSON, as kube-apiserver does not, but harmlessly.
      return body;
    }
    if (mediaType.equals(KubeProtobuf.MEDIA_TYPE)) {
      try {
        return ObjectCodec.encode(KubeProtobuf.toJson(body)
            .orElseThrow(() -> Statuses.unsupportedMediaType(contentType + " for this kind")));
      } catch (InvalidProtocolBufferException e) {
        throw Statuses.badRequest("the body of the request could not be decoded as protobuf: " + e.getMessage());
      }
    }
    throw Statuses.unsupportedMediaType(contentType);
  }

  /**
   * A PATCH body: JSON merge patch only, for now. Strategic merge patch, JSON patch and
   * server-side apply are answered 415, which kubectl reports as it is.
   */
  static JsonNode asMergePatch(String contentType, byte[] body) {
    if (!mediaType(contentType).equals("application/merge-patch+json")) {
      throw Statuses.unsupportedMediaType(contentType);
    }
    try {
      JsonNode patch = ObjectCodec.JSON.readTree(body);
      if (patch == null || !patch.isObject()) {
        throw Statuses.badRequest("a merge patch of an object must be a JSON object");
      }
      return patch;
    } catch (IOException e) {
      throw Statuses.badRequest("the patch could not be decoded as JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** "application/json" from "application/json; charset=utf-8"; "" when there is none. */
  static String mediaType(String contentType) {
    return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }
}
