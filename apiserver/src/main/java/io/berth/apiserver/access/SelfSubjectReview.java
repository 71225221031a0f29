package io.berth.apiserver.access;

import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.ResourcePath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * authentication.k8s.io/v1 SelfSubjectReview ({@code kubectl auth whoami}): a create
 * that stores nothing and answers with the user the request was authenticated as.
 */
public final class SelfSubjectReview {
  static final String GROUP = "authentication.k8s.io";
  static final String PLURAL = "selfsubjectreviews";

  private SelfSubjectReview() {}

  public static boolean isFor(ResourcePath resource) {
    return GROUP.equals(resource.group()) && PLURAL.equals(resource.plural()) && resource.namespace() == null;
  }

  /** The review of {@code user}, or empty for a verb other than create. */
  public static Optional<ApiResponse> answer(String method, ResourcePath resource, UserInfo user) {
    if (!method.equals("POST") || resource.name() != null) {
      return Optional.empty();
    }
    Map<String, Object> userInfo = new LinkedHashMap<>();
    userInfo.put("username", user.name());
    userInfo.put("groups", user.groups());
    Map<String, Object> review = new LinkedHashMap<>();
    review.put("kind", "SelfSubjectReview");
    review.put("apiVersion", GROUP + "/" + resource.version());
    review.put("metadata", Map.of());
    review.put("status", Map.of("userInfo", userInfo));
    return Optional.of(new ApiResponse(201, ObjectCodec.encode(review)));
  }
}
