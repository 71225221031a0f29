package io.berth.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to `berth server` gets a one-line message naming the flag, and exit code 1 or 2. */
class ServerCommandTest {
  @TempDir Path dir;

  @Test
  void peersWithoutAPortAreRefusedNamingTheFlag() {
    Result r = run("server", "--name", "n1", "--data-dir", dir.toString(), "--peers", "n1=localhost");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("--peers n1 must be HOST:PORT");
  }

  @Test
  void aNameThatIsNotAPeerIsRefused() {
    Result r = run("server", "--name", "n9", "--data-dir", dir.toString(), "--peers", "n1=127.0.0.1:1");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("--name n9 is not one of --peers [n1]");
  }

  @Test
  void aMissingRequiredFlagIsAUsageError() {
    Result r = run("server", "--name", "n1");
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("Missing required options").contains("--data-dir");
  }

  @Test
  void aDataDirOfAnotherClusterIsRefused() throws Exception {
    Files.writeString(dir.resolve("berth-member.properties"),
        "cluster-token=other\nname=n1\nmember-id=1\n");
    Result r = run("server", "--name", "n1", "--data-dir", dir.toString(), "--peers", "n1=127.0.0.1:1",
        "--client-listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("belongs to cluster 'other'").contains("--cluster-token");
  }

  @Test
  void aMalformedClientListenAddressIsRefused() {
    Result r = run("server", "--name", "n1", "--data-dir", dir.toString(), "--peers", "n1=127.0.0.1:1",
        "--client-listen", "127.0.0.1:http");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("--client-listen has a port that is not a number");
  }

  @Test
  void anUnknownAuthorizationModeIsRefusedNamingTheKnownOnes() {
    Result r = run("server", "--name", "n1", "--data-dir", dir.toString(), "--peers", "n1=127.0.0.1:1",
        "--authorization-mode", "Node,ABAC");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("--authorization-mode Node,ABAC: unknown authorization mode \"ABAC\" "
        + "(known: AlwaysAllow, AlwaysDeny, Node, RBAC)");
  }

  @Test
  void aMalformedTokenFileIsRefusedNamingTheLine() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens.csv"), "t1,alice,1\njust-a-token\n");
    Result r = run("server", "--name", "n1", "--data-dir", dir.toString(), "--peers", "n1=127.0.0.1:1",
        "--token-auth-file", tokens.toString());
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("--token-auth-file: " + tokens + " line 2: want token,user,uid");
  }

  @Test
  void anEncryptionConfigWithABadKeyIsRefusedNamingTheField() throws Exception {
    Path config = Files.writeString(dir.resolve("enc.yaml"), """
        kind: EncryptionConfiguration
        apiVersion: apiserver.config.k8s.io/v1
        resources:
        - resources: [secrets]
          providers:
          - aesgcm:
              keys:
              - name: k1
                secret: c2hvcnQ=
        """);
    Result r = run("server", "--name", "n1", "--data-dir", dir.toString(), "--peers", "n1=127.0.0.1:1",
        "--encryption-provider-config", config.toString());
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("--encryption-provider-config " + config
        + ": resources[0].providers[0].aesgcm.keys[0].secret: must be 16, 24 or 32 bytes, is 5");
  }

  private record Result(int code, String err) {}

  private static Result run(String... args) {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true));
    try {
      int code = Main.run(args);
      return new Result(code, err.toString());
    } finally {
      System.setErr(originalErr);
    }
  }
}
