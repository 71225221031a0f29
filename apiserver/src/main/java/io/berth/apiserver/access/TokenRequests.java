package io.berth.apiserver.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.protobuf.KubeProtobuf;
import io.berth.apiserver.rest.ApiException;
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
    ServiceAccountTokens.BoundPod pod = null;
    if (body.length > 0) {
      try {
        JsonNode request = contentType != null && contentType.startsWith(KubeProtobuf.MEDIA_TYPE)
            ? KubeProtobuf.toJson(body).orElseThrow(() -> Statuses.badRequest("not a TokenRequest"))
            : ObjectCodec.JSON.readTree(body);
        JsonNode seconds = request.path("spec").path("expirationSeconds");
        if (seconds.canConvertToLong()) {
          lifetime = Duration.ofSeconds(Math.max(MIN.toSeconds(), Math.min(MAX.toSeconds(), seconds.asLong())));
        }
        pod = boundPod(request.path("spec").path("boundObjectRef"), resource.namespace(), tokens);
      } catch (IOException e) {
        throw Statuses.badRequest("the TokenRequest cannot be read: " + e.getMessage());
      }
    }
    String token = tokens.mint(resource.namespace(), resource.name(), lifetime, pod);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("kind", "TokenRequest");
    request.put("apiVersion", "authentication.k8s.io/v1");
    request.put("metadata", Map.of("name", resource.name(), "namespace", resource.namespace()));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("audiences", java.util.List.of(ServiceAccountTokens.AUDIENCE));
    spec.put("expirationSeconds", lifetime.toSeconds());
    if (pod != null) {
      spec.put("boundObjectRef", Map.of("kind", "Pod", "apiVersion", "v1", "name", pod.name(), "uid", pod.uid()));
    }
    request.put("spec", spec);
    request.put("status", Map.of("token", token,
        "expirationTimestamp", Instant.now().plus(lifetime).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
    return new ApiResponse(201, ObjectCodec.encode(request));
  }

  /**
   * The pod a request binds its token to, checked to exist with that UID now, as kube-apiserver
   * checks; null when it binds to nothing. Only pods: Berth does not bind tokens to Secrets.
   */
  private static ServiceAccountTokens.BoundPod boundPod(JsonNode ref, String namespace, ServiceAccountTokens tokens) {
    if (ref.isMissingNode() || ref.isNull()) {
      return null;
    }
    String kind = ref.path("kind").asText("");
    String name = ref.path("name").asText("");
    String uid = ref.path("uid").asText("");
    if (!kind.equals("Pod")) {
      throw Statuses.badRequest("spec.boundObjectRef.kind: Unsupported value: \"" + kind + "\": supported values: \"Pod\"");
    }
    if (name.isEmpty()) {
      throw Statuses.badRequest("spec.boundObjectRef.name: Required value");
    }
    ServiceAccountTokens.BoundPod pod = new ServiceAccountTokens.BoundPod(name, uid);
    if (!tokens.podExists(namespace, pod)) {
      throw new ApiException(404, "NotFound", "pods \"" + name + "\" not found"
          + (uid.isEmpty() ? "" : " with UID " + uid));
    }
    return pod;
  }
}
