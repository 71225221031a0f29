package io.berth.apiserver.rest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.berth.apiserver.patch.PatchType;
import io.berth.apiserver.protobuf.KubeProtobuf;
import java.util.Locale;

/**
 * Request bodies in the formats clients send, as the JSON the handlers read: JSON
 * as is, Kubernetes protobuf for the kinds {@link KubeProtobuf} decodes; for PATCH, the
 * four patch types. Anything else (YAML, protobuf of other kinds) is answered 415 for now.
 */
public final class RequestBodies {
  private RequestBodies() {}

  /** The body as JSON; called only once the verb is known to take a body, so a 405 comes before a 415. */
  public static byte[] asJson(String contentType, byte[] body) {
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
   * The patch type a PATCH's Content-Type names: JSON patch, merge patch, strategic merge
   * patch or server-side apply; anything else is a 415. The body itself is read by
   * {@link io.berth.apiserver.patch.Patches}.
   */
  static PatchType patchType(String contentType) {
    return PatchType.of(contentType).orElseThrow(() -> Statuses.unsupportedMediaType(contentType));
  }

  /** "application/json" from "application/json; charset=utf-8"; "" when there is none. */
  static String mediaType(String contentType) {
    return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }
}
