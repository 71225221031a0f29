package io.berth.scheduler.testing;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.berth.client.Resource;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;

/**
 * Hollow nodes, as Kubernetes' kubemark has them: Node objects that are Ready and heartbeat
 * through their kube-node-lease Lease, but run nothing. A pod bound to one of them is
 * reported Running and Ready (when {@code markRunning}) and a graceful deletion of it is finished at
 * once, as an agent does after stopping the containers. One pod informer serves the whole
 * fleet, so a thousand nodes cost one watch.
 *
 * <p>It also keeps what a test needs to check that no pod was bound twice: every node each
 * pod was ever seen bound to.
 */
public final class HollowNodes implements AutoCloseable {
  private final Client client;
  private final boolean markRunning;
  private final Set<String> names = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> boundTo = new ConcurrentHashMap<>();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final ExecutorService writes = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore writeSlots = new Semaphore(32);
  private final Informer<Pod> pods;
  private final Thread heartbeats;
  private final Duration heartbeatPeriod;

  public HollowNodes(Client client, Duration heartbeatPeriod, boolean markRunning) {
    this.client = client;
    this.heartbeatPeriod = heartbeatPeriod;
    this.markRunning = markRunning;
    this.pods = Informer.builder(client.resource(Resource.POD)).handler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        seen(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        seen(after);
      }
    }).build();
    this.pods.start();
    this.heartbeats = Thread.ofPlatform().name("hollow-heartbeats").daemon().start(this::beat);
  }

  /** A plain node: Ready, 4 cpu, 16Gi, 110 pods. */
  public static NodeBuilder node(String name) {
    return new NodeBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of("kubernetes.io/hostname", name)).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus()
        .withCapacity(Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi"), "pods", new Quantity("110")))
        .withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("16Gi"), "pods", new Quantity("110")))
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withLastHeartbeatTime(now()).withLastTransitionTime(now()).endCondition()
        .endStatus();
  }

  /** Registers plain nodes {@code prefix-1 .. prefix-count}, several at once. */
  public void addNodes(String prefix, int count) throws InterruptedException {
    addNodes(prefix, count, Map.of());
  }

  /** Registers plain nodes {@code prefix-1 .. prefix-count} carrying {@code labels}. */
  public void addNodes(String prefix, int count, Map<String, String> labels) throws InterruptedException {
    List<Runnable> adds = new java.util.ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String name = prefix + "-" + i;
      adds.add(() -> add(node(name).editMetadata().addToLabels(labels).endMetadata().build()));
    }
    runAll(adds);
  }

  /** Registers one node as given (status included) with its Lease. */
  public void add(Node node) {
    String name = node.getMetadata().getName();
    names.add(name);
    Node created = client.resource(Resource.NODE).create(node);
    if (node.getStatus() != null) {
      client.resource(Resource.NODE).updateStatus(new NodeBuilder(created).withStatus(node.getStatus()).build());
    }
    client.resource(Resource.LEASE).inNamespace("kube-node-lease").create(new LeaseBuilder().withNewMetadata()
        .withName(name).withNamespace("kube-node-lease").endMetadata().withNewSpec().withHolderIdentity(name)
        .withLeaseDurationSeconds(40).withRenewTime(microNow()).endSpec().build());
  }

  /** Changes a node's spec or labels (a cordon, a new label) through an update. */
  public void edit(String name, UnaryOperator<Node> change) {
    Node current = client.resource(Resource.NODE).get(name).orElseThrow();
    client.resource(Resource.NODE).update(change.apply(new NodeBuilder(current).build()));
  }

  /** The nodes each pod (namespace/name) was ever seen bound to. */
  public Map<String, Set<String>> boundTo() {
    return Map.copyOf(boundTo);
  }

  /** Pods this fleet has reported Running. */
  public int runningCount() {
    return running.size();
  }

  @Override
  public void close() {
    heartbeats.interrupt();
    pods.close();
    writes.shutdownNow();
  }

  private void seen(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (node == null || node.isEmpty() || !names.contains(node)) {
      return;
    }
    String key = ObjectKeys.key(pod);
    boundTo.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(node);
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      write(() -> client.resource(Resource.POD).inNamespace(pod.getMetadata().getNamespace())
          .delete(pod.getMetadata().getName(), new DeleteOptionsBuilder().withGracePeriodSeconds(0L).build()),
          () -> retryLater(key));
    } else if (markRunning && pod.getStatus() != null && !"Running".equals(pod.getStatus().getPhase())
        && running.add(key)) {
      write(() -> client.resource(Resource.POD).inNamespace(pod.getMetadata().getNamespace())
          .updateStatus(new PodBuilder(pod).editOrNewStatus().withPhase("Running").withHostIP("127.0.0.1")
              .withPodIP("127.0.0.1").withStartTime(now())
              // Ready too, so that Deployments count the pod available and rolling updates proceed.
              .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
                  .withLastTransitionTime(now()).build())
              .endStatus().build()), () -> retryLater(key));
    }
  }

  private void write(Runnable call) {
    write(call, () -> {});
  }

  /** Runs a write in the background; {@code onFailure} runs when it did not go through. */
  private void write(Runnable call, Runnable onFailure) {
    writes.execute(() -> {
      try {
        writeSlots.acquire();
        try {
          call.run();
        } finally {
          writeSlots.release();
        }
      } catch (ApiException e) {
        // gone or changed meanwhile: the informer's next event decides again
        onFailure.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // a replica failing over: the informer's next event may never come, so try again
        onFailure.run();
      }
    });
  }

  /**
   * A status report that failed (a failover, a conflict) is tried again from a fresh read
   * half a second later: a pod's informer may send no further event to trigger it.
   */
  private void retryLater(String key) {
    running.remove(key);
    writes.execute(() -> {
      try {
        Thread.sleep(500);
        String[] parts = key.split("/", 2);
        client.resource(Resource.POD).inNamespace(parts[0]).get(parts[1]).ifPresent(this::seen);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        retryLater(key);
      }
    });
  }

  private void beat() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(heartbeatPeriod.toMillis());
        List<Runnable> renewals = names.stream().<Runnable>map(name -> () -> {
          try {
            Lease lease = client.resource(Resource.LEASE).inNamespace("kube-node-lease").get(name).orElseThrow();
            client.resource(Resource.LEASE).inNamespace("kube-node-lease")
                .update(new LeaseBuilder(lease).editSpec().withRenewTime(microNow()).endSpec().build());
          } catch (RuntimeException e) {
            // a lost race or a failover: the next beat renews
          }
        }).toList();
        runAll(renewals);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runAll(List<Runnable> calls) throws InterruptedException {
    try (ExecutorService batch = Executors.newVirtualThreadPerTaskExecutor()) {
      Semaphore slots = new Semaphore(32);
      for (Runnable call : calls) {
        slots.acquire();
        batch.execute(() -> {
          try {
            call.run();
          } finally {
            slots.release();
          }
        });
      }
    }
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static ZonedDateTime microNow() {
    return ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
