package io.berth.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.runtime.process.ProcessRuntime;
import io.berth.cli.Main;
import io.berth.cli.local.ClusterFile;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NodePort Service of a Deployment on a local cluster with two agents (process runtime):
 * the API allocates the node port, the scheduler places the pods, the Endpoints controller
 * publishes them, and each agent's NodePort proxy answers on its own node address.
 */
class NodePortThroughAgentsIT {
  @TempDir
  Path dir;

  @RegisterExtension
  final io.berth.cli.testing.ClusterLogsOnFailure logs = new io.berth.cli.testing.ClusterLogsOnFailure(() -> this.dir);

  @AfterEach
  void down() {
    Main.run("down", "--dir", dir.toString());
    for (String agent : new String[] {"agent-1", "agent-2"}) {
      try (ContainerRuntime runtime = new ProcessRuntime(dir.resolve("data").resolve(agent).resolve("process"), agent)) {
        runtime.listContainers().forEach(c -> runtime.removeContainer(c.id()));
        runtime.listSandboxes().forEach(s -> runtime.removeSandbox(s.pod().uid()));
      } catch (RuntimeException e) {
        // nothing was started there
      }
    }
  }

  @Test
  void aNodePortServiceAnswersOnEveryAgentsNodeAddress() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--replicas", "1", "--agents", "2", "--runtime", "process",
        "--detach")).isZero();
    ClusterFile cluster = ClusterFile.read(dir);
    String api = "http://127.0.0.1:" + cluster.withRole("server").get(0).port("api");
    try (Client client = Client.builder().endpoints(api).callTimeout(Duration.ofSeconds(10)).build()) {
      client.resource(Resource.DEPLOYMENT).inNamespace("default").create(new DeploymentBuilder()
          .withNewMetadata().withName("hello").endMetadata()
          .withNewSpec().withReplicas(2)
          .withNewSelector().withMatchLabels(Map.of("app", "hello")).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "hello")).endMetadata()
          .withNewSpec().addNewContainer().withName("web").withImage("busybox")
          .withCommand("/bin/sh", "-c",
              "mkdir -p www && echo hello from $POD_NAME > www/index.html && exec busybox httpd -f -p ${PORT:-8080} -h www")
          .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
          .endFieldRef().endValueFrom().endEnv()
          .addNewPort().withName("http").withContainerPort(8080).endPort()
          .endContainer().endSpec().endTemplate().endSpec().build());
      Service service = client.resource(Resource.SERVICE).inNamespace("default").create(new ServiceBuilder()
          .withNewMetadata().withName("hello").endMetadata()
          .withNewSpec().withType("NodePort").withSelector(Map.of("app", "hello"))
          .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
          .endSpec().build());
      int nodePort = service.getSpec().getPorts().get(0).getNodePort();
      assertThat(nodePort).as("allocated by the API").isBetween(30000, 32767);

      for (String nodeAddress : List.of("127.0.1.1", "127.0.1.2")) {
        String body = awaitBody("http://" + nodeAddress + ":" + nodePort + "/");
        assertThat(body).as("through %s's NodePort proxy", nodeAddress).startsWith("hello from hello-");
      }
    }
  }

  private static String awaitBody(String url) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body();
        }
        last = response.statusCode() + " " + response.body();
      } catch (java.io.IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(url + " did not answer 200 within 120 s; last: " + last);
  }
}
