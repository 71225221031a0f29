package io.berth.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import io.berth.cli.local.ClusterFile;
import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controllers of a cluster started with berth up: one replica leads them, shown by the
 * kube-system Lease; when its process is killed with SIGKILL another replica's controllers
 * take over, and when it is frozen with SIGSTOP and thawed after its lease expired it
 * writes nothing more: no pod is created twice either way.
 */
class ControllerFailoverIT {
  @TempDir
  Path dir;

  @org.junit.jupiter.api.extension.RegisterExtension
  final io.berth.cli.testing.ClusterLogsOnFailure logs = new io.berth.cli.testing.ClusterLogsOnFailure(() -> this.dir);


  @AfterEach
  void down() {
    // A process left frozen by a failed test must be thawed to be stopped.
    ClusterFile cluster = readCluster();
    if (cluster != null) {
      cluster.withRole("server").forEach(p -> signal("CONT", p.pid));
    }
    Main.run("down", "--dir", dir.toString());
  }

  @Test
  void anotherReplicaTakesOverTheControllersWhenTheirLeaderIsKilled() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "3", "--detach")).isZero();
    ClusterFile cluster = ClusterFile.read(dir);
    ClusterFile.ProcessEntry leader = processNamed(cluster, awaitHolder(cluster, null));
    ClusterFile.ProcessEntry survivor = cluster.withRole("server").stream().filter(p -> p != leader).findFirst().orElseThrow();

    try (Client client = Client.builder().endpoints(apiUrl(survivor)).build()) {
      ResourceClient<ReplicaSet> replicaSets = client.resource(Resource.REPLICA_SET).inNamespace("default");
      ResourceClient<Pod> pods = client.resource(Resource.POD).inNamespace("default");
      replicaSets.create(replicaSet("web", 2));
      await(() -> pods.list(ListOptions.ALL).items().size() == 2, Duration.ofSeconds(30), "2 pods");

      ProcessHandle.of(leader.pid).ifPresent(ProcessHandle::destroyForcibly);
      long killed = System.nanoTime();
      ReplicaSet web = replicaSets.get("web").orElseThrow();
      web.getSpec().setReplicas(3);
      replicaSets.update(web);
      await(() -> pods.list(ListOptions.ALL).items().size() >= 3, Duration.ofSeconds(30), "3 pods");
      long failoverMs = (System.nanoTime() - killed) / 1_000_000;
      System.out.printf("controller failover: the new leader's first reconcile write %d ms after kill -9 "
          + "(target 2000 ms)%n", failoverMs);

      assertThat(awaitHolder(cluster, leader.name)).isNotEqualTo(leader.name);
      Thread.sleep(1000);
      assertThat(pods.list(ListOptions.ALL).items()).as("no pod created twice").hasSize(3);
      assertThat(failoverMs).as("failover within a generous bound for a loaded 2-core machine").isLessThan(15_000);
    }
  }

  @Test
  void aFrozenLeaderThawedAfterItsLeaseExpiredWritesNothing() throws Exception {
    assertThat(Main.run("up", "--dir", dir.toString(), "--no-tls", "--replicas", "3", "--detach")).isZero();
    ClusterFile cluster = ClusterFile.read(dir);
    ClusterFile.ProcessEntry frozen = processNamed(cluster, awaitHolder(cluster, null));
    ClusterFile.ProcessEntry survivor = cluster.withRole("server").stream().filter(p -> p != frozen).findFirst().orElseThrow();

    try (Client client = Client.builder().endpoints(apiUrl(survivor)).build()) {
      ResourceClient<ReplicaSet> replicaSets = client.resource(Resource.REPLICA_SET).inNamespace("default");
      ResourceClient<Pod> pods = client.resource(Resource.POD).inNamespace("default");
      replicaSets.create(replicaSet("web", 1));
      await(() -> pods.list(ListOptions.ALL).items().size() == 1, Duration.ofSeconds(30), "1 pod");

      signal("STOP", frozen.pid);
      String next = awaitHolder(cluster, frozen.name);
      assertThat(next).isNotEqualTo(frozen.name);
      // The new leader acts; the frozen one has the same work pending when it wakes up.
      // The new leader writes the ReplicaSet's status as it takes over: scale as kubectl does,
      // read-modify-write again on a conflict.
      for (int attempt = 1; ; attempt++) {
        ReplicaSet web = replicaSets.get("web").orElseThrow();
        web.getSpec().setReplicas(4);
        try {
          replicaSets.update(web);
          break;
        } catch (io.berth.client.ApiException e) {
          if (e.code() != 409 || attempt == 5) {
            throw e;
          }
        }
      }
      await(() -> pods.list(ListOptions.ALL).items().size() == 4, Duration.ofSeconds(30), "4 pods");

      java.time.Instant thawed = java.time.Instant.now();
      signal("CONT", frozen.pid);
      Thread.sleep(3000);
      assertThat(pods.list(ListOptions.ALL).items()).as("nothing the thawed leader tried was written").hasSize(4);
      // Leadership may legitimately move again after the thaw (a loaded 2-core machine can let
      // the new leader's 1 s session lapse), but the frozen replica may hold the Lease only
      // through a fresh campaign after it woke, never by renewing the leadership it lost.
      Lease lease = client.resource(Resource.LEASE).inNamespace("kube-system").get("berth-controller-manager")
          .orElseThrow();
      if (lease.getSpec().getHolderIdentity().equals(frozen.name)) {
        assertThat(lease.getSpec().getAcquireTime().toInstant())
            .as("the thawed replica leads only through a campaign after it woke").isAfter(thawed);
      }
    }
  }

  private static ReplicaSet replicaSet(String name, int replicas) {
    return new ReplicaSetBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  /** The holder of the controller-manager Lease, once it is someone other than {@code previous}. */
  static String awaitHolder(ClusterFile cluster, String previous) throws Exception {
    return awaitHolder(cluster, previous, "berth-controller-manager");
  }

  /** The holder of a component's kube-system Lease, once it is someone other than {@code previous}. */
  static String awaitHolder(ClusterFile cluster, String previous, String component) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (ClusterFile.ProcessEntry p : cluster.withRole("server")) {
        if (p.name.equals(previous)) {
          continue;
        }
        try (Client client = Client.builder().endpoints(apiUrl(p)).callTimeout(Duration.ofSeconds(2)).build()) {
          String holder = client.resource(Resource.LEASE).inNamespace("kube-system").get(component)
              .map(l -> l.getSpec().getHolderIdentity()).orElse(null);
          if (holder != null && !holder.equals(previous)) {
            return holder;
          }
        } catch (RuntimeException e) {
          // that replica is down or not ready yet: ask another
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no " + component + " leader other than " + previous + " within 60 s");
  }

  private static ClusterFile.ProcessEntry processNamed(ClusterFile cluster, String name) {
    return cluster.withRole("server").stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow();
  }

  private static String apiUrl(ClusterFile.ProcessEntry p) {
    return "http://127.0.0.1:" + p.port("api");
  }

  static void await(Supplier<Boolean> condition, Duration timeout, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (RuntimeException e) {
        // a replica failing over: try again
      }
      Thread.sleep(100);
    }
    throw new AssertionError(what + " not reached within " + timeout);
  }

  private static void signal(String signal, long pid) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    } catch (Exception e) {
      throw new AssertionError("kill -" + signal + " " + pid + " failed", e);
    }
  }

  private ClusterFile readCluster() {
    try {
      return ClusterFile.read(dir);
    } catch (Exception e) {
      return null;
    }
  }
}
