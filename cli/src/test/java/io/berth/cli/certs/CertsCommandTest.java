package io.berth.cli.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import io.berth.client.tls.Identity;
import io.berth.client.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsCommandTest {
  @TempDir Path dir;

  @Test
  void issuesEveryIdentityKubernetesNamesSignedByOneCaWithPrivateKeys() throws Exception {
    assertThat(Main.run("certs", "--dir", dir.toString(), "--hosts", "berth.example", "--servers", "n1=127.0.0.11,n2",
        "--agents", "node-1=127.0.1.1")).isZero();

    X509Certificate ca = Pem.readCertificates(dir.resolve("ca.crt")).getFirst();
    for (String name : List.of("server-n1", "server-n2", "node-node-1", "ingress", "controller-manager", "scheduler",
        "admin")) {
      X509Certificate cert = Pem.readCertificates(dir.resolve(name + ".crt")).getFirst();
      cert.verify(ca.getPublicKey());
      assertThat(Pem.readPrivateKey(dir.resolve(name + ".key"))).isNotNull();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name + ".key"))))
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))))
        .isEqualTo("rw-------");
    assertThat(identity("node-node-1")).isEqualTo(Identity.of("system:node:node-1", "system:nodes"));
    assertThat(identity("admin")).isEqualTo(Identity.of("admin", "system:masters"));
    assertThat(identity("controller-manager")).isEqualTo(Identity.of("system:kube-controller-manager"));
    assertThat(identity("scheduler")).isEqualTo(Identity.of("system:kube-scheduler"));
    assertThat(sans("server-n1")).contains("127.0.0.11", "127.0.0.1", "localhost", "berth.example", "n1");
    assertThat(sans("node-node-1")).contains("127.0.1.1", "127.0.0.1", "localhost");
    assertThat(Pem.readPrivateKey(dir.resolve("sa.key"))).isNotNull();
    assertThat(Files.readString(dir.resolve("sa.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
  }

  @Test
  void runningAgainKeepsTheCaAndTheCertificatesAndAddsWhatIsMissing() throws Exception {
    assertThat(Main.run("certs", "--dir", dir.toString())).isZero();
    String ca = Files.readString(dir.resolve("ca.crt"));
    String admin = Files.readString(dir.resolve("admin.crt"));

    assertThat(Main.run("certs", "--dir", dir.toString(), "--agents", "node-2")).isZero();

    assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(ca);
    assertThat(Files.readString(dir.resolve("admin.crt"))).isEqualTo(admin);
    Pem.readCertificates(dir.resolve("node-node-2.crt")).getFirst()
        .verify(Pem.readCertificates(dir.resolve("ca.crt")).getFirst().getPublicKey());
  }

  @Test
  void refusesAnAgentWithAnEmptyAddress() {
    assertThat(Main.run("certs", "--dir", dir.toString(), "--agents", "node-1=")).isEqualTo(1);
  }

  private Identity identity(String name) throws Exception {
    return Identity.of(Pem.readCertificates(dir.resolve(name + ".crt")).getFirst());
  }

  private List<String> sans(String name) throws Exception {
    return Objects.requireNonNull(Pem.readCertificates(dir.resolve(name + ".crt")).getFirst()
        .getSubjectAlternativeNames()).stream().map(entry -> String.valueOf(entry.get(1))).toList();
  }
}
