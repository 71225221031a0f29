package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.apiserver.access.ApiSecurity;
import io.berth.apiserver.testing.InMemoryObjectStore;
import io.berth.client.tls.CertificateAuthority;
import io.berth.client.tls.CertificateAuthority.Issued;
import io.berth.client.tls.CertificateAuthority.Usage;
import io.berth.client.tls.Identity;
import io.berth.client.tls.TlsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS with client-certificate authentication: who a certificate names reaches
 * the API (SelfSubjectReview), a request without credentials is 401, plaintext, a foreign CA
 * and an expired certificate never get in, and random bytes, truncated ClientHellos and
 * garbage Authorization headers get an answer or a closed connection, never a dead server.
 */
class ApiServerTlsTest {
  @TempDir static Path pki;
  private static CertificateAuthority ca;
  private static ApiServer server;

  @BeforeAll
  static void start() throws Exception {
    ca = CertificateAuthority.loadOrCreate(pki, "test-ca");
    ca.issue(Identity.of("system:berth-server:n1"), Usage.SERVER_AND_CLIENT, List.of("127.0.0.1", "localhost"),
        Duration.ofDays(1)).writeTo(pki, "server");
    ca.issue(Identity.of("admin", "system:masters"), Usage.CLIENT, List.of(), Duration.ofDays(1)).writeTo(pki, "admin");
    ca.issue(Identity.of("system:node:n1", "system:nodes"), Usage.SERVER_AND_CLIENT, List.of(), Duration.ofDays(1))
        .writeTo(pki, "node");
    Instant past = Instant.now().minus(Duration.ofDays(2));
    ca.issue(Identity.of("admin", "system:masters"), Usage.CLIENT, List.of(), past, past.plus(Duration.ofDays(1)))
        .writeTo(pki, "expired");
    CertificateAuthority.create("another-ca")
        .issue(Identity.of("admin", "system:masters"), Usage.CLIENT, List.of(), Duration.ofDays(1))
        .writeTo(pki, "forged");
    InMemoryObjectStore store = new InMemoryObjectStore();
    var saKey = CertificateAuthority.newKeyPair();
    server = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, store,
        ApiSecurity.tls(TlsFiles.inPki(pki, "server"), pki.resolve(CertificateAuthority.CERT_FILE), false, List.of(),
            new io.berth.apiserver.access.ServiceAccountTokens(saKey.getPrivate(), saKey.getPublic(),
                java.time.Clock.systemUTC())));
    server.systemNamespacesReady().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aClientCertificateIsTheUserItsCnNamesInTheGroupsItsOsName() throws Exception {
    HttpResponse<String> admin = whoami("admin");
    assertThat(admin.statusCode()).isEqualTo(201);
    assertThat(admin.body()).contains("\"kind\":\"SelfSubjectReview\"").contains("\"username\":\"admin\"")
        .contains("\"groups\":[\"system:masters\",\"system:authenticated\"]");

    HttpResponse<String> node = whoami("node");
    assertThat(node.body()).contains("\"username\":\"system:node:n1\"")
        .contains("\"groups\":[\"system:nodes\",\"system:authenticated\"]");
  }

  @Test
  void aTokenFromTokenRequestIsTheServiceAccountAndATamperedOneIsUnauthorized() throws Exception {
    HttpRequest tokenRequest = HttpRequest.newBuilder(URI.create(base()
            + "/api/v1/namespaces/default/serviceaccounts/builder/token"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\","
            + "\"spec\":{\"expirationSeconds\":3600}}"))
        .build();
    HttpResponse<String> minted = client(TlsFiles.inPki(pki, "admin")).send(tokenRequest,
        HttpResponse.BodyHandlers.ofString());
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    String token = minted.body().replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");

    HttpClient bearer = client(new TlsFiles(null, null, pki.resolve("ca.crt")));
    HttpResponse<String> review = bearer.send(whoamiRequest().header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(review.body()).contains("\"username\":\"system:serviceaccount:default:builder\"")
        .contains("system:serviceaccounts:default");
    String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThat(bearer.send(whoamiRequest().header("Authorization", "Bearer " + tampered).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
  }

  @Test
  void aRequestWithoutCredentialsIsUnauthorizedButHealthIsAnswered() throws Exception {
    HttpClient anonymous = client(new TlsFiles(null, null, pki.resolve("ca.crt")));
    HttpResponse<String> namespaces = anonymous.send(get("/api/v1/namespaces"), HttpResponse.BodyHandlers.ofString());
    assertThat(namespaces.statusCode()).isEqualTo(401);
    assertThat(namespaces.body()).contains("\"reason\":\"Unauthorized\"");
    assertThat(anonymous.send(get("/healthz"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
  }

  @Test
  void plaintextHttpGetsNoAnswerOnlyAClosedConnection() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(readAll(socket.getInputStream())).doesNotContain("HTTP/1.1");
    }
  }

  @Test
  void aCertificateFromAnotherCaOrAnExpiredOneNeverGetsIn() throws Exception {
    // The JDK client offers only a certificate whose issuer the server asks for, so the forged
    // one is not even sent: the request arrives without credentials and is 401.
    assertThat(whoami("forged").statusCode()).isEqualTo(401);
    // An expired certificate from the right CA is sent, and the server's handshake refuses it.
    assertThatThrownBy(() -> whoami("expired")).isInstanceOf(IOException.class);
  }

  @Test
  void aForgedCertificatePresentedAnywayFailsTheHandshake() throws Exception {
    SSLContext forging = SSLContext.getInstance("TLS");
    forging.init(new javax.net.ssl.KeyManager[] {new AlwaysPresent(TlsFiles.inPki(pki, "forged"))},
        new TlsFiles(null, null, pki.resolve("ca.crt")).trustManagers().getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) forging.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      assertThatThrownBy(() -> {
        socket.startHandshake();
        // TLS 1.3 reports the server's refusal of a client certificate on the first read.
        socket.getOutputStream().write("GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        if (socket.getInputStream().read() == -1) {
          throw new IOException("closed");
        }
      }).isInstanceOf(IOException.class);
    }
  }

  /** A key manager that offers its certificate whatever CAs the server asks for (what a forger does). */
  private static final class AlwaysPresent extends javax.net.ssl.X509ExtendedKeyManager {
    private final java.security.PrivateKey key;
    private final java.security.cert.X509Certificate[] chain;

    AlwaysPresent(TlsFiles files) throws IOException {
      this.key = io.berth.client.tls.Pem.readPrivateKey(files.keyFile());
      this.chain = io.berth.client.tls.Pem.readCertificates(files.certFile())
          .toArray(java.security.cert.X509Certificate[]::new);
    }

    @Override
    public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, Socket socket) {
      return "forged";
    }

    @Override
    public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
      return new String[] {"forged"};
    }

    @Override
    public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, java.security.Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
      return chain;
    }

    @Override
    public java.security.PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }

  @Test
  void randomBytesAndTruncatedClientHellosAreClosedAndTheServerKeepsAnswering() throws Exception {
    Random random = new Random(10);
    byte[] hello = clientHello();
    for (int i = 0; i < 60; i++) {
      byte[] bytes = switch (i % 3) {
        case 0 -> randomBytes(random, 1 + random.nextInt(2048));
        case 1 -> Arrays.copyOf(hello, 1 + random.nextInt(hello.length - 1));
        default -> {
          byte[] mangled = hello.clone();
          for (int j = 0; j < 8; j++) {
            mangled[5 + random.nextInt(mangled.length - 5)] = (byte) random.nextInt(256);
          }
          yield mangled;
        }
      };
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        socket.setSoTimeout(2_000);
        socket.getOutputStream().write(bytes);
        socket.shutdownOutput();
        readAll(socket.getInputStream());
      } catch (IOException e) {
        // A reset is an answer too: the server closed the connection.
      }
    }
    assertThat(whoami("admin").statusCode()).isEqualTo(201);
  }

  @Test
  void garbageAuthorizationHeadersAreUnauthorizedEveryTime() throws Exception {
    Random random = new Random(11);
    SSLContext tls = new TlsFiles(null, null, pki.resolve("ca.crt")).sslContext();
    for (int i = 0; i < 40; i++) {
      String header = i % 2 == 0 ? "Bearer " + printable(random, random.nextInt(300)) : printable(random, 1 + random.nextInt(300));
      try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.port())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: " + header
            + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String answer = readAll(socket.getInputStream());
        assertThat(answer).as(header).matches("(?s)HTTP/1.1 (401|400) .*");
      }
    }
    assertThat(whoami("admin").statusCode()).isEqualTo(201);
  }

  private static HttpResponse<String> whoami(String name) throws Exception {
    return client(TlsFiles.inPki(pki, name)).send(whoamiRequest().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder whoamiRequest() {
    return HttpRequest.newBuilder(URI.create(base() + "/apis/authentication.k8s.io/v1/selfsubjectreviews"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}"));
  }

  private static HttpClient client(TlsFiles files) throws IOException {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .sslContext(files.sslContext()).build();
  }

  private static HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10)).build();
  }

  private static String base() {
    return "https://127.0.0.1:" + server.port();
  }

  /** The bytes of a real TLS ClientHello, as this JDK would open a connection. */
  private static byte[] clientHello() throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine("127.0.0.1", server.port());
    engine.setUseClientMode(true);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] hello = new byte[out.remaining()];
    out.get(hello);
    return hello;
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Header-safe characters (no CR or LF, which would end the header rather than fuzz it). */
  private static String printable(Random random, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append((char) (0x20 + random.nextInt(0x7f - 0x20)));
    }
    return s.toString();
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
