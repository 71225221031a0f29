package io.berth.chaos.workload;

import io.berth.chaos.checker.Validity;
import io.berth.chaos.checker.Verdict;
import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.cluster.Replica;
import io.berth.chaos.history.History;
import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.scheduler.testing.HollowNodes;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane under faults, through the Kubernetes API: a Deployment on hollow nodes
 * (Ready nodes that report every bound pod Running and Ready, see {@link HollowNodes}) is
 * scaled and rolled every few seconds while nemeses act on the replicas that run the API
 * server, controllers and scheduler.
 *
 * <p>Checked: no pod is ever bound to two nodes; at no observed instant are more pods alive
 * than the Deployment's replicas plus maxSurge (allowing, after a scale-down, for the larger
 * count still being wound down); after healing, the Deployment converges (every replica
 * updated, ready and available, no extra pod) within a bound.
 */
public final class ControlPlaneWorkload implements Workload {
  private static final Logger log = LoggerFactory.getLogger(ControlPlaneWorkload.class);
  private static final String NAMESPACE = "chaos";
  private static final String DEPLOYMENT = "web";
  private static final int MAX_SURGE = 1;
  private static final int MAX_REPLICAS = 5;
  /** How long after a change of the desired count the old count may still explain what is alive. */
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(60);

  private final Duration changeEvery;
  private final ClientThreads driver = new ClientThreads("control-plane");
  private final ConcurrentLinkedQueue<Desired> desired = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<AliveSample> alive = new ConcurrentLinkedQueue<>();
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private Client client;
  private HollowNodes nodes;
  private Informer<Pod> podInformer;
  private Random random;
  private int revision;

  /** A desired replica count from {@code atNanos} on ({@code certain} false: the change may not have happened). */
  private record Desired(long atNanos, int replicas, boolean certain) {}

  /** How many pods of the Deployment were alive (not terminating) when the observer saw an event. */
  private record AliveSample(long atNanos, int count) {}

  public ControlPlaneWorkload(Duration changeEvery) {
    this.changeEvery = changeEvery;
  }

  public static ControlPlaneWorkload defaults() {
    return new ControlPlaneWorkload(Duration.ofSeconds(3));
  }

  @Override
  public String name() {
    return "control-plane";
  }

  @Override
  public void start(ChaosCluster cluster, History history, long seed) {
    random = new Random(seed * 7 + 3);
    client = Client.builder().endpoints(cluster.replicas().stream().map(Replica::apiUrl).toArray(String[]::new))
        .callTimeout(Duration.ofSeconds(3)).build();
    try {
      createDuringSetUp(() -> client.resource(Resource.NAMESPACE).create(new NamespaceBuilder().withNewMetadata()
          .withName(NAMESPACE).endMetadata().build()));
      nodes = new HollowNodes(client, Duration.ofSeconds(2), true);
      nodes.addNodes("chaos-node", 3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted registering nodes", e);
    }
    podInformer = Informer.builder(client.resource(Resource.POD).inNamespace(NAMESPACE))
        .handler(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            observe(history, pod, false);
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            observe(history, after, false);
          }

          @Override
          public void onDelete(Pod pod) {
            observe(history, pod, true);
          }
        }).build();
    podInformer.start();
    createDuringSetUp(() -> client.resource(Resource.DEPLOYMENT).inNamespace(NAMESPACE).create(deployment(3)));
    desired.add(new Desired(history.now(), 3, true));
    driver.start("driver", () -> change(history));
  }

  /**
   * A create made before any fault: the client does not retry a POST that timed out (it may have
   * been applied), but here either outcome is fine, so a timed-out create is tried again and an
   * AlreadyExists after it means the first one went through. A replica busy with its start-up can
   * take longer than the 3 s call timeout on a loaded machine.
   */
  private static void createDuringSetUp(Runnable create) {
    for (int attempt = 1; ; attempt++) {
      try {
        create.run();
        return;
      } catch (ApiException e) {
        if (e.code() == 409 && attempt > 1) {
          return;
        }
        throw e;
      } catch (java.io.UncheckedIOException e) {
        if (attempt == 5) {
          throw e;
        }
        log.info("control plane: set-up create failed ({}); trying again", e.getMessage());
      }
    }
  }

  private static Deployment deployment(int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(DEPLOYMENT).withNamespace(NAMESPACE).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", DEPLOYMENT).endSelector()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxSurge(new IntOrString(MAX_SURGE)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endStrategy()
        .withNewTemplate().withNewMetadata().addToLabels("app", DEPLOYMENT).endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage("berth/none:chaos").endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  private void observe(History history, Pod pod, boolean deleted) {
    String key = ObjectKeys.key(pod);
    if (deleted || pod.getMetadata().getDeletionTimestamp() != null) {
      pods.remove(key);
    } else {
      pods.put(key, pod);
    }
    alive.add(new AliveSample(history.now(), pods.size()));
  }

  /** One change: scale to a random count or roll the template, then wait. */
  private void change(History history) {
    boolean scale = random.nextBoolean();
    int replicas = 1 + random.nextInt(MAX_REPLICAS);
    String f = scale ? "scale" : "roll";
    History.Pending op = history.invoke(40_000, "api", f, "deployments/" + NAMESPACE + "/" + DEPLOYMENT,
        scale ? (long) replicas : (long) revision + 1, null);
    try {
      String patch = scale ? "{\"spec\":{\"replicas\":" + replicas + "}}"
          : "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"chaos/revision\":\"" + (revision + 1) + "\"}}}}}";
      Deployment after = client.resource(Resource.DEPLOYMENT).inNamespace(NAMESPACE)
          .patch(DEPLOYMENT, io.berth.client.PatchType.MERGE, patch);
      op.ok(null);
      if (!scale) {
        revision++;
      }
      desired.add(new Desired(history.now(), after.getSpec().getReplicas(), true));
    } catch (ApiException e) {
      op.fail(e.code() + " " + e.getMessage());
    } catch (RuntimeException e) {
      op.info(e.toString());
      if (scale) {
        desired.add(new Desired(history.now(), replicas, false));
      }
    }
    ClientThreads.pause(changeEvery);
  }

  @Override
  public void stop() {
    driver.stop();
  }

  @Override
  public List<Verdict> check(ChaosCluster cluster, History history) {
    long checkStart = history.now();
    String convergence = awaitConverged();
    long converged = history.now();
    List<String> anomalies = new ArrayList<>();
    if (convergence != null) {
      anomalies.add(convergence);
    }
    anomalies.addAll(doubleBindings());
    anomalies.addAll(surgeViolations());
    long lastHeal = history.faults().stream().mapToLong(f -> f.endNanos()).filter(e -> e != Long.MAX_VALUE).max()
        .orElse(checkStart);
    log.info("control plane: {} pods seen, {} desired changes, converged {} ms after the last heal", 
        nodes.boundTo().size(), desired.size(), (converged - lastHeal) / 1_000_000);
    podInformer.close();
    nodes.close();
    client.close();
    return List.of(new Verdict("control-plane", anomalies.isEmpty() ? Validity.VALID : Validity.INVALID,
        alive.size() + nodes.boundTo().size(), anomalies));
  }

  /** Waits for the Deployment to settle at its desired count; returns what is wrong if it does not in time. */
  private String awaitConverged() {
    long deadline = System.nanoTime() + CONVERGENCE_BOUND.toNanos();
    String state = "never read";
    while (System.nanoTime() < deadline) {
      try {
        Deployment d = client.resource(Resource.DEPLOYMENT).inNamespace(NAMESPACE).get(DEPLOYMENT).orElseThrow();
        int want = d.getSpec().getReplicas();
        var status = d.getStatus();
        long podCount = client.resource(Resource.POD).inNamespace(NAMESPACE).list().items().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null).count();
        state = "want " + want + ", observedGeneration " + (status == null ? null : status.getObservedGeneration())
            + "/" + d.getMetadata().getGeneration() + ", updated " + (status == null ? null : status.getUpdatedReplicas())
            + ", ready " + (status == null ? null : status.getReadyReplicas()) + ", available "
            + (status == null ? null : status.getAvailableReplicas()) + ", pods " + podCount;
        if (status != null && d.getMetadata().getGeneration().equals(status.getObservedGeneration())
            && eq(status.getReplicas(), want) && eq(status.getUpdatedReplicas(), want)
            && eq(status.getReadyReplicas(), want) && eq(status.getAvailableReplicas(), want) && podCount == want) {
          return null;
        }
      } catch (RuntimeException e) {
        state = e.toString();
      }
      ClientThreads.pause(Duration.ofMillis(500));
    }
    return "the Deployment did not converge within " + CONVERGENCE_BOUND.toSeconds() + " s of the check: " + state;
  }

  private static boolean eq(Integer value, int want) {
    return value != null && value == want;
  }

  private List<String> doubleBindings() {
    List<String> found = new ArrayList<>();
    for (Map.Entry<String, Set<String>> pod : nodes.boundTo().entrySet()) {
      if (pod.getKey().startsWith(NAMESPACE + "/") && pod.getValue().size() > 1) {
        found.add("pod " + pod.getKey() + " was bound to " + pod.getValue().size() + " nodes: " + pod.getValue());
      }
    }
    return found;
  }

  /**
   * Pods alive against the bound: replicas + maxSurge, where "replicas" is the largest count
   * desired since the Deployment was last seen settled (a scale-down is wound down, not
   * instant). An uncertain change counts as desired, since it may have happened.
   */
  private List<String> surgeViolations() {
    List<Desired> changes = new ArrayList<>(desired);
    changes.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
    List<AliveSample> samples = new ArrayList<>(alive);
    samples.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
    List<String> found = new ArrayList<>();
    int next = 0;
    int current = 0;
    int windowMax = 0;
    long lastChange = 0;
    for (AliveSample sample : samples) {
      while (next < changes.size() && changes.get(next).atNanos() <= sample.atNanos()) {
        Desired change = changes.get(next++);
        if (change.certain()) {
          current = change.replicas();
        }
        windowMax = Math.max(windowMax, change.replicas());
        lastChange = change.atNanos();
      }
      int allowed = windowMax + MAX_SURGE;
      if (sample.count() > allowed && found.size() < 20) {
        found.add(String.format("at %.3f s: %d pods alive, more than %d (replicas %d + maxSurge %d)",
            sample.atNanos() / 1e9, sample.count(), allowed, windowMax, MAX_SURGE));
      }
      if (sample.count() == current && sample.atNanos() - lastChange > SETTLE.toNanos()) {
        windowMax = current;
      }
    }
    return found;
  }
}
