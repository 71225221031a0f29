package io.berth.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import io.berth.cli.local.ClusterFile;
import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.controllers.testing.TestNodeAgent;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling update of a Deployment on a cluster started with berth up, with the replica
 * that leads the controllers killed (SIGKILL) in the middle: the rollout finishes on
 * another replica, with no pod created twice and none left without its owner. Until the
 * node agent exists, the controllers' test agent binds pods and makes them ready.
 */
class RolloutFailoverIT {
  private static final int REPLICAS = 4;

  @TempDir
  Path dir;

  @RegisterExtension
  final io.berth.cli.testing.ClusterLogsOnFailure logs = new io.berth.cli.testing.ClusterLogsOnFailure(() -> dir);

  @AfterEach
  void down() {
    Main.run("down", "--dir", dir.toString());
  }

  @Test
  void aRolloutFinishesOnAnotherReplicaWhenTheControllersLeaderIsKilled() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "3", "--detach")).isZero();
    ClusterFile cluster = ClusterFile.read(dir);
    String leaderName = ControllerFailoverIT.awaitHolder(cluster, null);
    ClusterFile.ProcessEntry leader = cluster.withRole("server").stream().filter(p -> p.name.equals(leaderName)).findFirst()
        .orElseThrow();
    String[] endpoints = cluster.withRole("server").stream().filter(p -> p != leader)
        .map(p -> "http://127.0.0.1:" + p.port("api")).toArray(String[]::new);

    try (Client client = Client.builder().endpoints(endpoints).build();
        TestNodeAgent agent = new TestNodeAgent(client, "node-a", Duration.ofMillis(300)).start()) {
      ResourceClient<Deployment> deployments = client.resource(Resource.DEPLOYMENT).inNamespace("default");
      ResourceClient<Pod> pods = client.resource(Resource.POD).inNamespace("default");
      ResourceClient<ReplicaSet> replicaSets = client.resource(Resource.REPLICA_SET).inNamespace("default");
      deployments.create(deployment("nginx:1.26"));
      ControllerFailoverIT.await(() -> complete(deployments.get("web").orElseThrow()), Duration.ofSeconds(60),
          "the first rollout");

      Deployment current = deployments.get("web").orElseThrow();
      current.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:1.27");
      deployments.update(current);
      ControllerFailoverIT.await(() -> updated(deployments.get("web").orElseThrow()) >= 1, Duration.ofSeconds(30),
          "the rollout under way");
      ProcessHandle.of(leader.pid).ifPresent(ProcessHandle::destroyForcibly);

      ControllerFailoverIT.await(() -> complete(deployments.get("web").orElseThrow()), Duration.ofSeconds(90),
          "the rollout finished by another replica");
      ControllerFailoverIT.await(() -> pods.list(ListOptions.ALL).items().size() == REPLICAS, Duration.ofSeconds(30),
          "the old pods gone");

      List<ReplicaSet> sets = replicaSets.list(ListOptions.ALL).items();
      Set<String> setUids = sets.stream().map(rs -> rs.getMetadata().getUid()).collect(Collectors.toSet());
      ReplicaSet newest = sets.stream().filter(rs -> "nginx:1.27".equals(
          rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())).findFirst().orElseThrow();
      assertThat(sets).as("one ReplicaSet per template, none created twice").hasSize(2);
      List<Pod> remaining = pods.list(ListOptions.ALL).items();
      assertThat(remaining).hasSize(REPLICAS).allSatisfy(pod -> {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        assertThat(owners).as("owned by exactly one controller").hasSize(1);
        assertThat(setUids).as("its owner exists").contains(owners.get(0).getUid());
        assertThat(owners.get(0).getUid()).isEqualTo(newest.getMetadata().getUid());
      });
      assertThat(ControllerFailoverIT.awaitHolder(cluster, leaderName)).isNotEqualTo(leaderName);
    }
  }

  private static boolean complete(Deployment d) {
    var status = d.getStatus();
    return status != null && d.getMetadata().getGeneration().equals(status.getObservedGeneration())
        && Integer.valueOf(REPLICAS).equals(status.getUpdatedReplicas())
        && Integer.valueOf(REPLICAS).equals(status.getAvailableReplicas())
        && Integer.valueOf(REPLICAS).equals(status.getReplicas());
  }

  private static int updated(Deployment d) {
    return d.getStatus() == null || d.getStatus().getUpdatedReplicas() == null ? 0 : d.getStatus().getUpdatedReplicas();
  }

  private static Deployment deployment(String image) {
    return new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(REPLICAS)
        .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(1)).endRollingUpdate().endStrategy()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage(image).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }
}
