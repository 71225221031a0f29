package io.berth.apiserver.access;

import io.berth.apiserver.rest.ApiRequest;
import java.util.Optional;

/**
 * One kind of credential (a client certificate, a bearer token) as Kubernetes'
 * authenticator.Request reads it: empty when the request carries no credential of
 * this kind, the user when it carries a valid one, and a 401 ApiException
 * ({@link UnionAuthenticator#unauthorized()}) when it carries one that is not valid.
 */
@FunctionalInterface
public interface CredentialAuthenticator {
  Optional<UserInfo> authenticate(ApiRequest request);
}
