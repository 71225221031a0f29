package io.berth.apiserver.access;

import io.berth.apiserver.rest.AgentConnections;
import io.berth.client.tls.TlsFiles;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How one API server lets clients in: TLS (or none) and the authentication stage.
 *
 * @param tls the serving TLS context, null for plain HTTP
 * @param tokens service-account tokens, or null
 * @param agents how pods/log and pods/exec reach agents (HTTPS as this server when TLS is on)
 */
public record ApiSecurity(SslContext tls, Authenticator authenticator, ServiceAccountTokens tokens,
    AgentConnections agents) {
  /**
   * Plain HTTP, everyone an administrator: a server started without TLS flags (local tests,
   * the chaos harness's containers). Keep such a server on loopback.
   */
  public static ApiSecurity plaintext() {
    return new ApiSecurity(null, Authenticator.everyoneIsAdmin(), null, AgentConnections.plaintext());
  }

  /**
   * HTTPS with {@code serving}'s certificate and key (kube-apiserver's --tls-cert-file and
   * --tls-private-key-file). With {@code clientCa} (--client-ca-file) a client may present a
   * certificate signed by it and is then the user it names; a certificate from another CA,
   * or expired, fails the handshake. The client certificate is optional at the TLS level
   * (wanted, not needed) so that bearer-token clients can connect; without any credential a
   * request is anonymous when {@code anonymous}, else 401.
   */
  public static ApiSecurity tls(TlsFiles serving, Path clientCa, boolean anonymous,
      List<CredentialAuthenticator> tokenAuthenticators) throws IOException {
    return tls(serving, clientCa, anonymous, tokenAuthenticators, null);
  }

  /**
   * As above, and with {@code tokens} (null: none) service-account tokens are verified (a
   * bearer-token authenticator after the client certificate) and minted by TokenRequest.
   */
  public static ApiSecurity tls(TlsFiles serving, Path clientCa, boolean anonymous,
      List<CredentialAuthenticator> tokenAuthenticators, ServiceAccountTokens tokens) throws IOException {
    SslContextBuilder builder = SslContextBuilder.forServer(serving.keyManagers());
    List<CredentialAuthenticator> authenticators = new ArrayList<>();
    if (clientCa != null) {
      builder.trustManager(new TlsFiles(null, null, clientCa).trustManagers()).clientAuth(ClientAuth.OPTIONAL);
      authenticators.add(new ClientCertificateAuthenticator());
    }
    if (tokens != null) {
      authenticators.add(new BearerTokenAuthenticator(tokens));
    }
    authenticators.addAll(tokenAuthenticators);
    // Agents are dialed over HTTPS as this server (its certificate, the cluster CA), as kube-apiserver dials kubelets.
    AgentConnections agents = AgentConnections.tls(new TlsFiles(serving.certFile(), serving.keyFile(),
        clientCa != null ? clientCa : serving.caFile()));
    return new ApiSecurity(builder.build(), new AuthenticationChain(authenticators, anonymous), tokens, agents);
  }
}
