package io.berth.apiserver.access;

import io.berth.apiserver.rest.ApiRequest;
import io.berth.client.tls.Identity;
import java.util.Optional;

/**
 * Kubernetes' x509 authenticator: the certificate the client presented in the TLS
 * handshake (the handshake already verified it against --client-ca-file and its
 * validity dates) names the user in its subject's CN and the groups in its O's. A
 * certificate without a CN names no one and is refused.
 */
public final class ClientCertificateAuthenticator implements CredentialAuthenticator {
  @Override
  public Optional<UserInfo> authenticate(ApiRequest request) {
    if (request.clientCertificates().isEmpty()) {
      return Optional.empty();
    }
    Identity identity = Identity.of(request.clientCertificates().getFirst());
    if (identity.user().isEmpty()) {
      throw new CredentialAuthenticator.InvalidCredentialException("a client certificate without a common name");
    }
    return Optional.of(new UserInfo(identity.user(), identity.groups()));
  }
}
