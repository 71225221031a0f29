package io.berth.cli.ingress;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for one host, made with openssl (a test tool; Berth's own certificates come from the JDK). */
record SelfSignedCertificate(String host, String certificatePem, String keyPem) {
  static SelfSignedCertificate create(Path dir, String host) throws IOException, InterruptedException {
    Path cert = dir.resolve(host + ".crt");
    Path key = dir.resolve(host + ".key");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=" + host, "-addext", "subjectAltName=DNS:" + host, "-keyout", key.toString(),
        "-out", cert.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
      throw new IOException("openssl req failed for " + host);
    }
    return new SelfSignedCertificate(host, Files.readString(cert), Files.readString(key));
  }

  X509Certificate certificate() {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The kubernetes.io/tls Secret holding this certificate and key. */
  String secretYaml(String name) {
    Base64.Encoder base64 = Base64.getEncoder();
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s}
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
        """.formatted(name, base64.encodeToString(certificatePem.getBytes(StandardCharsets.US_ASCII)),
        base64.encodeToString(keyPem.getBytes(StandardCharsets.US_ASCII)));
  }
}
