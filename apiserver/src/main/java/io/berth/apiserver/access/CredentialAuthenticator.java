package io.berth.apiserver.access;

import io.berth.apiserver.rest.ApiRequest;
import java.util.Optional;

/**
 * One way of proving who you are (a bearer token, a client certificate): one member of
 * the {@link AuthenticationChain}, as kube-apiserver's request authenticators are.
 */
public interface CredentialAuthenticator {
  /**
   * Who sent the request, if it carries a credential of this kind.
   *
   * @return empty when the request carries no credential this authenticator reads
   * @throws InvalidCredentialException when it carries one that proves nothing (unknown, malformed, expired)
   */
  Optional<UserInfo> authenticate(ApiRequest request);

  /** A credential that was presented and is not good: the request is refused, whatever else it carries. */
  final class InvalidCredentialException extends RuntimeException {
    public InvalidCredentialException(String message) {
      super(message);
    }
  }
}
