package io.berth.apiserver.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.protobuf.KubeProtobuf;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.ResourcePath;
import io.berth.apiserver.rest.Statuses;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * authentication.k8s.io/v1 TokenRequest on the serviceaccounts/token subresource
 * ({@code kubectl create token NAME}): a signed service-account token, one hour by default,
 * between ten minutes and a day as the request's spec.expirationSeconds asks. Berth keeps no
 * ServiceAccount objects yet, so any name in the namespace can be asked for; authorization
 * (create on serviceaccounts/token) decides who may.
 */
public final class TokenRequests {
  static final Duration DEFAULT = Duration.ofHours(1);
  static final Duration MIN = Duration.ofMinutes(10);
  static final Duration MAX = Duration.ofHours(24);

  private TokenRequests() {}

  public static boolean isFor(ResourcePath resource) {
    return resource.group().isEmpty() && "serviceaccounts".equals(resource.plural())
        && "token".equals(resource.subresource());
  }

  public static ApiResponse answer(String method, ResourcePath resource, String contentType, byte[] body,
      ServiceAccountTokens tokens) {
    if (!method.equals("POST") || resource.namespace() == null || resource.name() == null) {
      throw Statuses.pathNotFound();
    }
    if (tokens == null) {
      throw Statuses.badRequest("this server cannot mint service-account tokens: it has no "
          + "--service-account-signing-key-file");
    }
    Duration lifetime = DEFAULT;
    if (body.length > 0) {
      try {
        JsonNode request = contentType != null && contentType.startsWith(KubeProtobuf.MEDIA_TYPE)
            ? KubeProtobuf.toJson(body).orElseThrow(() -> Statuses.badRequest("not a TokenRequest"))
            : ObjectCodec.JSON.readTree(body);
        JsonNode seconds = request.path("spec").path("expirationSeconds");
        if (seconds.canConvertToLong()) {
          lifetime = Duration.ofSeconds(Math.max(MIN.toSeconds(), Math.min(MAX.toSeconds(), seconds.asLong())));
        }
      } catch (IOException e) {
        throw Statuses.badRequest("the TokenRequest cannot be read: " + e.getMessage());
      }
    }
    String token = tokens.mint(resource.namespace(), resource.name(), lifetime);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("kind", "TokenRequest");
    request.put("apiVersion", "authentication.k8s.io/v1");
    request.put("metadata", Map.of("name", resource.name(), "namespace", resource.namespace()));
    request.put("spec", Map.of("audiences", java.util.List.of(ServiceAccountTokens.AUDIENCE),
        "expirationSeconds", lifetime.toSeconds()));
    request.put("status", Map.of("token", token,
        "expirationTimestamp", Instant.now().plus(lifetime).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
    return new ApiResponse(201, ObjectCodec.encode(request));
  }
}
