package io.berth.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import io.berth.cli.kubectl.Kubectl;
import io.berth.controllers.testing.Eventually;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth up} (TLS by default): certificates in DIR/pki, kubectl through DIR/kubeconfig is the admin,
 * RBAC refuses an unbound service account, Secrets are ciphertext in the store, the audit log names who wrote,
 * an agent registers with its own certificate, etcdctl gets in only with a control-plane
 * certificate, kubectl logs and exec reach the agent over HTTPS, berth status and snapshot save
 * use the admin's, and plaintext gets no answer from
 * the API or the etcd port.
 */
class TlsLocalClusterIT {
  @TempDir Path dir;

  @org.junit.jupiter.api.extension.RegisterExtension
  final io.berth.cli.testing.ClusterLogsOnFailure logs = new io.berth.cli.testing.ClusterLogsOnFailure(() -> this.dir);

  @AfterEach
  void down() {
    Main.run("down", "--dir", dir.toString());
  }

  @Test
  void aTlsClusterLetsInOnlyWhomItsCertificatesName() throws Exception {
    Assumptions.assumeTrue(Kubectl.available(), "kubectl is not installed");
    assertThat(Main.run("up", "--dir", dir.toString(), "--replicas", "1", "--agents", "1", "--runtime",
        "process", "--detach")).isZero();
    ClusterFile cluster = ClusterFile.read(dir);
    ClusterFile.ProcessEntry server = cluster.withRole("server").get(0);
    Path pki = dir.resolve("pki");

    Kubectl kubectl = new Kubectl(dir.resolve("kubectl"), dir.resolve("kubeconfig"));
    var whoami = kubectl.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}");
    assertThat(whoami.exitCode()).as(whoami.stderr()).isZero();
    assertThat(whoami.stdout()).startsWith("admin ").contains("system:masters");
    var token = kubectl.run("create", "token", "builder");
    assertThat(token.exitCode()).as(token.stderr()).isZero();
    Path tokenConfig = dir.resolve("token-kubeconfig");
    java.nio.file.Files.writeString(tokenConfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: berth
          cluster: {server: "https://127.0.0.1:%d", certificate-authority: "%s"}
        users:
        - name: builder
          user: {token: "%s"}
        contexts:
        - name: berth
          context: {cluster: berth, user: builder}
        current-context: berth
        """.formatted(server.port("api"), pki.resolve("ca.crt"), token.stdout().trim()));
    var asServiceAccount = new Kubectl(dir.resolve("kubectl-token"), tokenConfig)
        .run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
    assertThat(asServiceAccount.stdout()).as(asServiceAccount.stderr()).isEqualTo("system:serviceaccount:default:builder");
    // RBAC is on by default: the service account is bound to nothing, so it may not list pods.
    var refused = new Kubectl(dir.resolve("kubectl-token"), tokenConfig).run("get", "pods");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("Forbidden", "system:serviceaccount:default:builder", "cannot list resource \"pods\"");
    // The agent registered its Node through the API with its own certificate.
    Eventually.await("agent-1 registered", Duration.ofSeconds(60),
        () -> {
          try {
            return kubectl.run("get", "node", "agent-1").exitCode() == 0;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });

    // pods/log and pods/exec go from the API server to the agent over HTTPS, as the server.
    var created = kubectl.run("run", "greeter", "--image=berth/busybox:test", "--image-pull-policy=Never",
        "--overrides={\"spec\":{\"nodeName\":\"agent-1\"}}", "--command", "--", "sh", "-c",
        "echo hello over tls; sleep 600");
    assertThat(created.exitCode()).as(created.stderr()).isZero();
    Eventually.await("greeter logs", Duration.ofSeconds(60), () -> {
      try {
        return kubectl.run("logs", "greeter").stdout().contains("hello over tls");
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
    var exec = kubectl.run("exec", "greeter", "--", "echo", "exec over tls");
    assertThat(exec.exitCode()).as(exec.stderr()).isZero();
    assertThat(exec.stdout()).isEqualTo("exec over tls\n");
    // As in Kubernetes, the pod runs as service account "default" with its token, the cluster's CA
    // (ConfigMap kube-root-ca.crt) and its namespace mounted; the process runtime shows the mount
    // under the pod's working directory. The token is the pod's identity at the API.
    String mount = "var/run/secrets/kubernetes.io/serviceaccount/";
    Eventually.await("greeter's service-account files", Duration.ofSeconds(30), () -> {
      try {
        return kubectl.run("exec", "greeter", "--", "cat", mount + "namespace").stdout().equals("default");
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
    assertThat(kubectl.run("exec", "greeter", "--", "cat", mount + "ca.crt").stdout())
        .isEqualTo(java.nio.file.Files.readString(pki.resolve("ca.crt")));
    String podToken = kubectl.run("exec", "greeter", "--", "cat", mount + "token").stdout().trim();
    Path podConfig = dir.resolve("pod-kubeconfig");
    java.nio.file.Files.writeString(podConfig, java.nio.file.Files.readString(tokenConfig)
        .replace(token.stdout().trim(), podToken));
    Kubectl podKubectl = new Kubectl(dir.resolve("kubectl-pod"), podConfig);
    var asPod = podKubectl.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
    assertThat(asPod.stdout()).as(asPod.stderr()).isEqualTo("system:serviceaccount:default:default");
    // The token is bound to the pod: once the pod is gone, so is the token's validity.
    var deleted = kubectl.run("delete", "pod", "greeter", "--grace-period=0", "--force");
    assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
    Eventually.await("the deleted pod's token refused", Duration.ofSeconds(30), () -> {
      try {
        var after = podKubectl.run("auth", "whoami");
        return after.exitCode() != 0 && after.stderr().contains("Unauthorized");
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });

    ClusterFile.ProcessEntry agent = cluster.withRole("agent").get(0);
    assertThat(plaintextAnswer(agent.address, agent.port("agent"))).as("plain HTTP to the agent")
        .doesNotContain("HTTP/1.1");

    // The operator commands reach the store with DIR/pki's admin certificate.
    assertThat(Main.run("status", "--dir", dir.toString())).isZero();
    assertThat(Main.run("snapshot", "save", dir.resolve("backup.db").toString(), "--dir", dir.toString())).isZero();

    assertThat(plaintextAnswer("127.0.0.1", server.port("api"))).as("plain HTTP to the API").doesNotContain("HTTP/1.1");
    String endpoint = "127.0.0.1:" + server.port("client");
    assertThat(etcdctl(endpoint, List.of()).exitCode).as("etcdctl without TLS").isNotZero();
    Etcdctl admin = etcdctl(endpoint, List.of("--cacert", pki.resolve("ca.crt").toString(),
        "--cert", pki.resolve("admin.crt").toString(), "--key", pki.resolve("admin.key").toString()));
    assertThat(admin.exitCode).as(admin.output).isZero();
    // Secrets are encrypted at rest by default: the store holds ciphertext under the key's name.
    var secret = kubectl.run("create", "secret", "generic", "db", "--from-literal=password=hunter2");
    assertThat(secret.exitCode()).as(secret.stderr()).isZero();
    Etcdctl stored = etcdctl(endpoint, List.of("--cacert", pki.resolve("ca.crt").toString(),
        "--cert", pki.resolve("admin.crt").toString(), "--key", pki.resolve("admin.key").toString()),
        "/registry/core/secrets/default/db");
    assertThat(stored.output).contains("k8s:enc:aesgcm:v1:key1:").doesNotContain("hunter2");
    // Every mutating request of this test is in the server's audit log, with who made it.
    String audit = java.nio.file.Files.readString(dir.resolve("logs").resolve("audit-server-1.log"));
    assertThat(audit).contains("\"verb\":\"create\"", "\"resource\":\"secrets\"", "\"username\":\"admin\"");

    Etcdctl node = etcdctl(endpoint, List.of("--cacert", pki.resolve("ca.crt").toString(),
        "--cert", pki.resolve("node-agent-1.crt").toString(), "--key", pki.resolve("node-agent-1.key").toString()));
    assertThat(node.exitCode).isNotZero();
    assertThat(node.output).contains("PermissionDenied").contains("system:node:agent-1");
  }

  private record Etcdctl(int exitCode, String output) {}

  private static Etcdctl etcdctl(String endpoint, List<String> tls) throws Exception {
    return etcdctl(endpoint, tls, "/registry/namespaces/default");
  }

  private static Etcdctl etcdctl(String endpoint, List<String> tls, String key) throws Exception {
    List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints", endpoint, "--dial-timeout", "3s",
        "--command-timeout", "5s"));
    command.addAll(tls);
    command.addAll(List.of("get", key));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Etcdctl(process.exitValue(), output);
  }

  private static String plaintextAnswer(String host, int port) throws IOException {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }
}
