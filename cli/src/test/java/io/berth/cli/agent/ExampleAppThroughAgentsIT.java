package io.berth.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.runtime.process.ProcessRuntime;
import io.berth.cli.Main;
import io.berth.cli.kubectl.Kubectl;
import io.berth.cli.local.ClusterFile;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/hello applied with kubectl to a local cluster with two agents (process runtime): the
 * scheduler places the pods, the agents run them, the Endpoints controller publishes them, and
 * the page is served through the ingress by host and through each agent's NodePort proxy on its
 * own node address (the API allocated the node port). An unknown host gets the ingress' 404.
 */
class ExampleAppThroughAgentsIT {
  @TempDir
  Path dir;

  @RegisterExtension
  final io.berth.cli.testing.ClusterLogsOnFailure logs = new io.berth.cli.testing.ClusterLogsOnFailure(() -> this.dir);

  @AfterEach
  void down() {
    Main.run("down", "--dir", dir.toString(), "--delete-workloads");
  }

  @Test
  void theExampleIsServedThroughTheIngressByHostAndThroughEveryAgentsNodePort() throws Exception {
    Assumptions.assumeTrue(Kubectl.available(), "kubectl is not installed");
    assertThat(Main.run("up", "--dir", dir.toString(), "--replicas", "1", "--agents", "2", "--runtime", "process",
        "--detach")).isZero();
    ClusterFile cluster = ClusterFile.read(dir);
    Kubectl kubectl = new Kubectl(dir, dir.resolve("kubeconfig"));
    Kubectl.Result applied = kubectl.run("apply", "-f", examples().resolve("hello/hello.yaml").toString());
    assertThat(applied.exitCode()).as(applied.stderr()).isZero();
    assertThat(applied.stdout()).contains("deployment.apps/hello created", "service/hello created",
        "ingress.networking.k8s.io/hello created");

    int ingressPort = cluster.withRole("ingress").get(0).port("http");
    String page = awaitOk("127.0.0.1", ingressPort, "hello.local");
    assertThat(page).startsWith("hello from hello-");
    String unknown = get("127.0.0.1", ingressPort, "nobody.local");
    assertThat(unknown).startsWith("HTTP/1.1 404");

    // The quick start's cluster is a TLS one with RBAC (berth up's default): the API through kubectl.
    Kubectl.Result port = kubectl.run("get", "service", "hello", "-o", "jsonpath={.spec.ports[0].nodePort}");
    assertThat(port.exitCode()).as(port.stderr()).isZero();
    int nodePort = Integer.parseInt(port.stdout().trim());
    assertThat(nodePort).as("allocated by the API").isBetween(30000, 32767);
    for (String nodeAddress : List.of("127.0.1.1", "127.0.1.2")) {
      assertThat(awaitOk(nodeAddress, nodePort, "hello")).as("through %s's NodePort proxy", nodeAddress)
          .startsWith("hello from hello-");
    }

    // berth down --delete-workloads leaves no pod process behind (without it they would keep running).
    assertThat(Main.run("down", "--dir", dir.toString(), "--delete-workloads")).isZero();
    for (String agent : List.of("agent-1", "agent-2")) {
      try (ContainerRuntime runtime = new ProcessRuntime(dir.resolve("data").resolve(agent).resolve("process"), agent)) {
        assertThat(runtime.listContainers()).as("%s's containers after down --delete-workloads", agent).isEmpty();
        assertThat(runtime.listSandboxes()).as("%s's pods after down --delete-workloads", agent).isEmpty();
      }
    }
  }

  /** The body of a 200 for GET / with this Host, once there is one (within 120 s). */
  private static String awaitOk(String address, int port, String host) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = get(address, port, host);
        if (last.startsWith("HTTP/1.1 200") || last.startsWith("HTTP/1.0 200")) {
          return last.substring(last.indexOf("\r\n\r\n") + 4);
        }
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(address + ":" + port + " (Host " + host + ") gave no 200 within 120 s; last: " + last);
  }

  /** One GET over a fresh connection (the JDK's HttpClient will not set Host). */
  private static String get(String address, int port, String host) throws java.io.IOException {
    try (Socket socket = new Socket(address, port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Path examples() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (d.resolve("examples/hello/hello.yaml").toFile().exists()) {
        return d.resolve("examples");
      }
    }
    throw new IllegalStateException("examples/ not found");
  }
}
