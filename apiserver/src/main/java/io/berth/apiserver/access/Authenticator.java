package io.berth.apiserver.access;

import io.berth.apiserver.rest.ApiRequest;

/**
 * The authentication stage of the request path: who sent this request. An
 * implementation that cannot tell refuses with a 401 ApiException
 * ({@code Statuses.unauthorized}); the security issue brings client certificates
 * and bearer tokens.
 */
public interface Authenticator {
  UserInfo authenticate(ApiRequest request);

  /**
   * Everyone is a cluster administrator: what the API does until authentication
   * lands (the kubeconfigs Berth writes carry no credentials yet). Named for what it
   * does, so that no one mistakes it for a security measure.
   */
  static Authenticator everyoneIsAdmin() {
    UserInfo admin = new UserInfo("system:admin", java.util.List.of("system:masters", "system:authenticated"));
    return request -> admin;
  }
}
