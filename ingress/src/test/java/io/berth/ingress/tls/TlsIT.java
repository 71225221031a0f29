package io.berth.ingress.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Resource;
import io.berth.ingress.testing.IngressFixture;
import io.berth.ingress.testing.TestBackend;
import io.berth.ingress.testing.TestNetwork;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS termination: certificates from kubernetes.io/tls Secrets, chosen by SNI, reloaded when a Secret changes. */
class TlsIT {
  @TempDir Path dir;

  @Test
  void servesEachHostItsOwnCertificateAndReloadsAChangedSecret() throws Exception {
    try (TestNetwork network = TestNetwork.create();
        IngressFixture ingress = new IngressFixture(dir.resolve("cluster"));
        TestBackend alpha = new TestBackend("alpha", network.hostAddress());
        TestBackend beta = new TestBackend("beta", network.hostAddress())) {
      ingress.service("alpha", List.of(alpha.address()));
      ingress.service("beta", List.of(beta.address()));
      secret(ingress, "alpha-tls", "alpha.test", "first");
      secret(ingress, "beta-tls", "beta.test", "first");
      tlsIngress(ingress, "alpha", "alpha.test", "alpha-tls");
      tlsIngress(ingress, "beta", "beta.test", "beta-tls");
      IngressFixture.eventually(() -> ingress.certificates.has("alpha.test") && ingress.certificates.has("beta.test"));

      Handshake a = get(ingress, "alpha.test", "http/1.1");
      Handshake b = get(ingress, "beta.test", "http/1.1");

      assertThat(a.subject()).contains("CN=alpha.test", "O=first");
      assertThat(a.firstLines()).startsWith("HTTP/1.1 200 OK");
      assertThat(a.body()).contains("alpha GET /", "x-forwarded-proto: https");
      assertThat(b.subject()).contains("CN=beta.test");
      assertThat(b.body()).contains("beta GET /");
      assertThat(get(ingress, "alpha.test", "h2").protocol()).isEqualTo("h2");

      Secret current = ingress.client.resource(Resource.SECRET).inNamespace("default").get("alpha-tls").orElseThrow();
      Secret renewed = pem("alpha-tls", "alpha.test", "renewed");
      renewed.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
      ingress.client.resource(Resource.SECRET).inNamespace("default").update(renewed);

      IngressFixture.eventually(() -> {
        try {
          return get(ingress, "alpha.test", "http/1.1").subject().contains("O=renewed");
        } catch (Exception e) {
          return false;
        }
      });
      assertThat(get(ingress, "beta.test", "http/1.1").subject()).contains("O=first");
    }
  }

  private record Handshake(String subject, String protocol, String firstLines, String body) {}

  /** A GET / over TLS with {@code serverName} as SNI and Host, offering {@code alpn}. */
  private static Handshake get(IngressFixture ingress, String serverName, String alpn) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
        ingress.server.httpsPort())) {
      socket.setSoTimeout(10_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
      parameters.setApplicationProtocols(new String[] {alpn});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      String subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
          .getName();
      String protocol = socket.getApplicationProtocol();
      if (!protocol.equals("http/1.1")) {
        return new Handshake(subject, protocol, "", "");
      }
      socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + serverName + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      StringBuilder rest = new StringBuilder();
      for (String line; (line = in.readLine()) != null; ) {
        rest.append(line).append('\n');
      }
      return new Handshake(subject, protocol, status, rest.toString());
    }
  }

  private static void tlsIngress(IngressFixture ingress, String name, String host, String secret) {
    var created = ingress.ingress(name, host, "/", name, Map.of());
    ingress.client.resource(Resource.INGRESS).inNamespace("default").update(new IngressBuilder(created).editSpec()
        .withTls(new IngressTLSBuilder().withHosts(host).withSecretName(secret).build()).endSpec().build());
  }

  private void secret(IngressFixture ingress, String name, String host, String organization) throws Exception {
    ingress.client.resource(Resource.SECRET).inNamespace("default").create(pem(name, host, organization));
  }

  /** A kubernetes.io/tls Secret with a new self-signed certificate for {@code host} (openssl; PKCS#8 key). */
  private Secret pem(String name, String host, String organization) throws Exception {
    Path key = dir.resolve(name + "-" + organization + ".key");
    Path cert = dir.resolve(name + "-" + organization + ".crt");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
        "-subj", "/O=" + organization + "/CN=" + host, "-addext", "subjectAltName=DNS:" + host)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl req").isTrue();
    return new SecretBuilder().withNewMetadata().withName(name).endMetadata().withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", Base64.getEncoder().encodeToString(Files.readAllBytes(cert)),
            "tls.key", Base64.getEncoder().encodeToString(Files.readAllBytes(key))))
        .build();
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
