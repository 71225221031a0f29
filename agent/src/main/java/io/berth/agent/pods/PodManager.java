package io.berth.agent.pods;

import io.berth.agent.runtime.ContainerInfo;
import io.berth.agent.runtime.Sandbox;
import io.berth.client.informer.ResourceEventHandler;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's pods: one {@link PodWorker} per pod bound to this node (fed by the pod
 * informer, which watches only this node's pods), and a relist loop, like the kubelet's
 * PLEG, that lists the runtime's containers once a period, wakes the worker of any pod whose
 * containers changed state, and removes containers and sandboxes of pods this node no
 * longer has (deleted while the agent was down).
 */
public final class PodManager implements ResourceEventHandler<Pod>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodManager.class);

  private final PodContext ctx;
  private final BooleanSupplier informerSynced;
  private final Duration relistPeriod;
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
  private final Map<String, Thread> threads = new ConcurrentHashMap<>();
  private final Map<String, String> fingerprints = new HashMap<>();
  private final Thread relister;
  private volatile boolean closed;

  public PodManager(PodContext ctx, BooleanSupplier informerSynced, Duration relistPeriod) {
    this.ctx = ctx;
    this.informerSynced = informerSynced;
    this.relistPeriod = relistPeriod;
    this.relister = Thread.ofPlatform().name("agent-relist").daemon().unstarted(this::relistLoop);
  }

  public void start() {
    relister.start();
  }

  @Override
  public void onAdd(Pod pod) {
    podChanged(pod);
  }

  @Override
  public void onUpdate(Pod oldPod, Pod newPod) {
    podChanged(newPod);
  }

  @Override
  public void onDelete(Pod pod) {
    PodWorker worker = workers.get(pod.getMetadata().getUid());
    if (worker != null) {
      worker.podGone();
    }
  }

  /** Wakes the workers of every pod in {@code namespace} (a ConfigMap or Secret they may use changed). */
  public void wakeNamespace(String namespace) {
    // Workers read their pod's namespace from the pod they hold; waking all is cheap and rare.
    workers.values().forEach(PodWorker::wake);
  }

  /** How many pods have a worker. */
  public int size() {
    return workers.size();
  }

  private void podChanged(Pod pod) {
    if (closed || !ctx.node().equals(pod.getSpec().getNodeName())) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    PodWorker existing = workers.get(uid);
    if (existing != null) {
      existing.update(pod);
      return;
    }
    PodWorker worker = new PodWorker(ctx, pod, finished -> {
      workers.remove(finished);
      threads.remove(finished);
    });
    workers.put(uid, worker);
    threads.put(uid, Thread.ofVirtual().name("pod-" + pod.getMetadata().getName()).start(worker));
  }

  private void relistLoop() {
    while (!closed) {
      try {
        relist();
      } catch (RuntimeException e) {
        log.warn("relist failed: {}", e.toString());
      }
      try {
        Thread.sleep(relistPeriod.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void relist() {
    List<ContainerInfo> containers = ctx.metrics().time(ctx.runtime().name(), "list_containers",
        () -> ctx.runtime().listContainers());
    Map<String, List<ContainerInfo>> byPod = containers.stream().collect(Collectors.groupingBy(c -> c.pod().uid()));
    for (var entry : byPod.entrySet()) {
      String fingerprint = entry.getValue().stream().map(c -> c.id() + ":" + c.state())
          .sorted().collect(Collectors.joining(","));
      PodWorker worker = workers.get(entry.getKey());
      if (!Objects.equals(fingerprints.put(entry.getKey(), fingerprint), fingerprint) && worker != null) {
        worker.wake();
      }
    }
    fingerprints.keySet().retainAll(byPod.keySet());
    if (informerSynced.getAsBoolean()) {
      removeOrphans(byPod);
    }
    Map<String, Long> phases = workers.values().stream().collect(Collectors.groupingBy(PodWorker::phase,
        Collectors.counting()));
    for (String phase : List.of("Pending", "Running", "Succeeded", "Failed", "Unknown")) {
      ctx.metrics().podsInPhase(phase, phases.getOrDefault(phase, 0L));
    }
    Map<String, Long> states = containers.stream().collect(Collectors.groupingBy(c -> c.state().name().toLowerCase(
        java.util.Locale.ROOT), Collectors.counting()));
    for (ContainerInfo.State state : ContainerInfo.State.values()) {
      String name = state.name().toLowerCase(java.util.Locale.ROOT);
      ctx.metrics().containersInState(name, states.getOrDefault(name, 0L));
    }
  }

  /** Containers and sandboxes of pods that have no worker: their pods were deleted while no agent watched. */
  private void removeOrphans(Map<String, List<ContainerInfo>> byPod) {
    for (var entry : byPod.entrySet()) {
      if (!workers.containsKey(entry.getKey())) {
        log.info("pod {} ({}) is no longer on this node; removing its {} containers", entry.getValue().get(0).pod(),
            entry.getKey(), entry.getValue().size());
        for (ContainerInfo c : entry.getValue()) {
          if (c.running()) {
            ctx.runtime().stopContainer(c.id(), Duration.ofSeconds(2));
          }
          ctx.runtime().removeContainer(c.id());
        }
      }
    }
    for (Sandbox s : ctx.runtime().listSandboxes()) {
      if (!workers.containsKey(s.pod().uid()) && !byPod.containsKey(s.pod().uid())) {
        log.info("pod {} ({}) is no longer on this node; removing its sandbox", s.pod(), s.pod().uid());
        ctx.runtime().removeSandbox(s.pod().uid());
        ctx.volumes().remove(s.pod().uid());
      }
    }
  }

  /** Stops the workers; the containers keep running for the next agent to adopt. */
  @Override
  public void close() {
    closed = true;
    relister.interrupt();
    workers.values().forEach(PodWorker::stop);
    // A sync in progress finishes its step; wait for it, so nothing acts after the agent is closed.
    for (Thread t : threads.values()) {
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
