package io.berth.cli.ingress;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** An HTTPS GET to the ingress on loopback, naming a host by SNI (no DNS needed) and trusting only its certificate. */
final class SniClient {
  record Answer(int status, String body, String certificateHost) {}

  private SniClient() {}

  static Answer get(int port, SelfSignedCertificate expected, String path) throws IOException {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(expected.host(), expected.certificate());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(expected.host())));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        String cn = served.getSubjectX500Principal().getName().replaceFirst("^CN=", "").split(",")[0];
        HostedHttp.Answer answer = new HostedHttp.Connection(socket).get(expected.host(), path);
        return new Answer(answer.status(), answer.body(), cn);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }
}
