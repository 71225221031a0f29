package io.berth.agent.pods;

import io.berth.agent.probes.ProbeTarget;
import io.berth.agent.probes.ProbeTracker;
import io.berth.agent.runtime.ContainerInfo;
import io.berth.agent.runtime.ContainerSpec;
import io.berth.agent.runtime.ExecResult;
import io.berth.agent.runtime.PodRef;
import io.berth.agent.runtime.PortMapping;
import io.berth.agent.runtime.RuntimeFailure;
import io.berth.agent.runtime.Sandbox;
import io.berth.agent.runtime.SandboxSpec;
import io.berth.client.ApiException;
import io.berth.client.PatchType;
import io.berth.client.transport.Json;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one pod's containers as its spec says, on its own thread: a sync compares the pod
 * (desired) with what the runtime has (actual), takes the next steps (sandbox, init containers
 * in order, app containers, restarts with CrashLoopBackOff, probes), and reports the status.
 * It syncs when woken (the pod changed, a container changed state), when a probe or a back-off
 * is due, and every {@code resync} otherwise.
 *
 * <p>A pod with a deletionTimestamp is terminated: not ready first (so Endpoints drop it), a
 * wait until they have and the routers followed ({@link TrafficDrain}), then preStop, SIGTERM, the grace period and SIGKILL, then its containers, sandbox and
 * volumes are removed and the pod object deleted with grace 0. A pod gone from the API
 * without that (force-deleted) has its containers killed and removed.
 */
public final class PodWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(PodWorker.class);
  private static final Duration PULL_BACKOFF = Duration.ofSeconds(5);

  private final PodContext ctx;
  private final String uid;
  private final Consumer<String> onFinished;
  private final Semaphore wake = new Semaphore(0);
  /** The attempt whose back-off was last announced by an Event, per container (one BackOff per attempt). */
  private final Map<String, Integer> backOffAnnounced = new HashMap<>();
  private volatile Pod desired;
  private volatile boolean gone;
  private volatile boolean stopping;

  private Sandbox sandbox;
  private final Map<String, ContainerProbes> probes = new HashMap<>();
  private final Map<String, Waiting> waiting = new HashMap<>();
  private final Map<String, Instant> retryAt = new HashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private PodStatus lastWritten;
  private boolean startObserved;
  private boolean readyObserved;
  private Instant nextDue;

  public PodWorker(PodContext ctx, Pod pod, Consumer<String> onFinished) {
    this.ctx = ctx;
    this.uid = pod.getMetadata().getUid();
    this.desired = pod;
    this.onFinished = onFinished;
  }

  /** The phase last reported, or Pending before the first report. */
  public String phase() {
    PodStatus status = lastWritten;
    return status == null || status.getPhase() == null ? "Pending" : status.getPhase();
  }

  /** The pod changed (or the agent saw it again). */
  public void update(Pod pod) {
    desired = pod;
    wake();
  }

  /** The pod is gone from the API: kill and remove what is left of it. */
  public void podGone() {
    gone = true;
    wake();
  }

  public void wake() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  /** Ends the worker's loop (the agent stops) and leaves the containers running for the next agent. */
  public void stop() {
    stopping = true;
    wake();
  }

  @Override
  public void run() {
    Pod pod = desired;
    log.info("pod {}/{} ({}): worker started", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid);
    while (!stopping) {
      boolean done;
      try {
        done = sync();
      } catch (RuntimeException e) {
        log.warn("pod {}: sync failed, retrying: {}", ref(desired), e.toString());
        done = false;
        nextDue = ctx.clock().instant().plusSeconds(1);
      }
      if (done) {
        onFinished.accept(uid);
        return;
      }
      try {
        Instant now = ctx.clock().instant();
        Instant until = nextDue != null && nextDue.isBefore(now.plus(ctx.resync())) ? nextDue : now.plus(ctx.resync());
        long waitMs = Math.max(10, Duration.between(now, until).toMillis());
        if (wake.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One pass; true when the worker is finished (the pod was terminated and removed). */
  boolean sync() {
    Pod pod = desired;
    nextDue = null;
    List<ContainerInfo> containers = ctx.runtime().containersOf(uid);
    if (gone) {
      removeEverything(containers, Duration.ofSeconds(2));
      log.info("pod {}: gone from the API; its containers are removed", ref(pod));
      return true;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      terminate(pod, containers);
      return true;
    }
    if (!ensureSandbox(pod, containers)) {
      writeStatus(pod, ctx.runtime().containersOf(uid), Set.of(), false);
      return false;
    }
    Map<String, String> volumePaths;
    try {
      volumePaths = ctx.volumes().prepare(pod);
    } catch (ContainerSpecs.CreateContainerConfigError e) {
      for (Container c : allContainers(pod)) {
        waiting.put(c.getName(), new Waiting("CreateContainerConfigError", e.getMessage()));
      }
      due(ctx.clock().instant().plusSeconds(2));
      writeStatus(pod, containers, Set.of(), false);
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("volumes of " + ref(pod) + ": " + e.getMessage(), e);
    }

    // A container that died is reported before it is restarted: not ready, so that the Endpoints
    // (and the routers behind them) stop sending it requests while it is down. Restarted in the
    // same pass, a fast server would pass its readiness probe before any status said it had died.
    RestartPolicy policy = RestartPolicy.of(pod.getSpec().getRestartPolicy());
    Set<String> restarting = exitedToRestart(pod, containers, policy);
    if (!restarting.isEmpty()) {
      writeStatus(pod, containers, Set.of(), false, restarting);
    }
    Set<String> willRestart = new HashSet<>();
    boolean initDone = true;
    for (Container c : orEmpty(pod.getSpec().getInitContainers())) {
      Optional<ContainerInfo> latest = latest(containers, c.getName());
      if (latest.isPresent() && latest.get().exited() && latest.get().exitCode() == 0) {
        continue;
      }
      initDone = false;
      step(pod, c, latest, policy, true, volumePaths, willRestart);
      break;
    }
    if (initDone) {
      for (Container c : orEmpty(pod.getSpec().getContainers())) {
        step(pod, c, latest(containers, c.getName()), policy, false, volumePaths, willRestart);
      }
    }
    containers = ctx.runtime().containersOf(uid);
    Set<String> ready = probe(pod, containers);
    removeOldAttempts(containers);
    writeStatus(pod, containers, ready, false, willRestart);
    return false;
  }

  /** The app containers whose latest attempt exited and that the restart policy restarts. */
  private static Set<String> exitedToRestart(Pod pod, List<ContainerInfo> containers, RestartPolicy policy) {
    Set<String> names = new HashSet<>();
    for (Container c : orEmpty(pod.getSpec().getContainers())) {
      latest(containers, c.getName()).filter(ContainerInfo::exited).filter(info -> policy.restarts(info.exitCode()))
          .ifPresent(info -> names.add(c.getName()));
    }
    return names;
  }

  // ---- sandbox

  private boolean ensureSandbox(Pod pod, List<ContainerInfo> containers) {
    if (sandbox != null && sandbox.running()) {
      return true;
    }
    // A pod without containers yet is new (runSandbox returns a sandbox it may have all the same):
    // one engine call less per new pod, which counts when a hundred start at once.
    Optional<Sandbox> existing = containers.isEmpty() ? Optional.empty() : ctx.runtime().listSandboxes().stream()
        .filter(s -> s.pod().uid().equals(uid)).findFirst();
    if (existing.isPresent() && existing.get().running()) {
      sandbox = existing.get();
      sandbox.ports().forEach(p -> ctx.ports().hold(p.hostPort()));
      log.info("pod {}: adopted its sandbox {} (ports {})", ref(pod), shortId(sandbox.id()), published(sandbox));
      publishPorts(pod);
      return true;
    }
    if (existing.isPresent()) {
      // The sandbox died (its infra container was killed): its containers lost their network; start over.
      log.info("pod {}: sandbox {} is not running; recreating the pod's sandbox and containers", ref(pod),
          shortId(existing.get().id()));
      containers.forEach(c -> ctx.runtime().removeContainer(c.id()));
      ctx.runtime().removeSandbox(uid);
    }
    List<PortMapping> ports = new ArrayList<>();
    for (Container c : allContainers(pod)) {
      for (ContainerPort p : orEmpty(c.getPorts())) {
        int host = p.getHostPort() != null && p.getHostPort() > 0 ? p.getHostPort() : ctx.ports().allocate();
        ports.add(new PortMapping(p.getName(), p.getContainerPort(), p.getProtocol() == null ? "TCP" : p.getProtocol(),
            host));
      }
    }
    try {
      String hostname = pod.getSpec().getHostname() != null ? pod.getSpec().getHostname() : pod.getMetadata().getName();
      sandbox = ctx.metrics().time(ctx.runtime().name(), "run_sandbox", () -> ctx.runtime().runSandbox(
          new SandboxSpec(podRef(pod), hostname, ctx.nodeAddress(), ports)));
      // An existing sandbox (from before a restart) keeps its own ports: hold those, free the ones just taken.
      ports.stream().filter(p -> !sandbox.ports().contains(p)).forEach(p -> ctx.ports().release(p.hostPort()));
      sandbox.ports().forEach(p -> ctx.ports().hold(p.hostPort()));
      log.info("pod {}: sandbox {} running, ports {}", ref(pod), shortId(sandbox.id()), published(sandbox));
    } catch (RuntimeFailure e) {
      ports.forEach(p -> ctx.ports().release(p.hostPort()));
      for (Container c : allContainers(pod)) {
        waiting.put(c.getName(), new Waiting("ContainerCreating", "failed to create the pod sandbox: " + e.getMessage()));
      }
      log.warn("pod {}: cannot create its sandbox: {}", ref(pod), e.getMessage());
      ctx.events().sandboxFailed(pod, e.getMessage());
      due(ctx.clock().instant().plusSeconds(2));
      return false;
    }
    publishPorts(pod);
    return true;
  }

  /** Writes the published-ports annotation the Endpoints controller reads, when it differs. */
  private void publishPorts(Pod pod) {
    String json = published(sandbox);
    var annotations = pod.getMetadata().getAnnotations();
    if (sandbox.ports().isEmpty() || annotations != null && json.equals(annotations.get(PublishedPorts.ANNOTATION))) {
      return;
    }
    try {
      String patch = Json.MAPPER.writeValueAsString(Map.of("metadata", Map.of("annotations",
          Map.of(PublishedPorts.ANNOTATION, json))));
      ctx.pods().inNamespace(pod.getMetadata().getNamespace()).patch(pod.getMetadata().getName(), PatchType.MERGE,
          patch);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  private static String published(Sandbox sandbox) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    sandbox.ports().forEach(p -> ports.put(p.key(), p.hostPort()));
    return PublishedPorts.encode(ports);
  }

  // ---- containers

  private void step(Pod pod, Container c, Optional<ContainerInfo> latest, RestartPolicy policy, boolean init,
      Map<String, String> volumePaths, Set<String> willRestart) {
    Instant now = ctx.clock().instant();
    if (latest.isEmpty()) {
      start(pod, c, 0, volumePaths, now);
      return;
    }
    ContainerInfo info = latest.get();
    switch (info.state()) {
      case CREATED -> ctx.runtime().startContainer(info.id());
      case RUNNING -> waiting.remove(c.getName());
      case EXITED -> {
        boolean restarts = init ? policy.restartsInit(info.exitCode()) : policy.restarts(info.exitCode());
        if (!restarts) {
          return;
        }
        willRestart.add(c.getName());
        Instant at = ctx.backoff().restartAt(info.attempt(), info.startedAt(), info.finishedAt());
        if (!now.isBefore(at)) {
          log.info("pod {}: container {} exited with {} ({}); restarting it (restart {})", ref(pod), c.getName(),
              info.exitCode(), info.reason(), info.attempt() + 1);
          ctx.metrics().restarted();
          if (start(pod, c, info.attempt() + 1, volumePaths, now)) {
            willRestart.remove(c.getName());
          }
        } else {
          Integer announced = backOffAnnounced.put(c.getName(), info.attempt());
          if (announced == null || announced != info.attempt()) {
            ctx.events().backOff(pod, c);
          }
          long seconds = Duration.between(info.finishedAt() == null ? now : info.finishedAt(), at).toSeconds();
          waiting.put(c.getName(), new Waiting("CrashLoopBackOff", "back-off " + seconds + "s restarting failed "
              + "container=" + c.getName() + " pod=" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace()
              + "(" + uid + ")"));
          due(at);
        }
      }
      default -> throw new IllegalStateException("unknown state " + info.state());
    }
  }

  /** Pulls as the policy says, creates and starts one attempt; false when it could not (the reason is in waiting). */
  private boolean start(Pod pod, Container c, int attempt, Map<String, String> volumePaths, Instant now) {
    Instant retry = retryAt.get(c.getName());
    if (retry != null && now.isBefore(retry)) {
      Waiting w = waiting.get(c.getName());
      if (w != null && w.reason().equals("ErrImagePull")) {
        waiting.put(c.getName(), new Waiting("ImagePullBackOff", "Back-off pulling image \"" + c.getImage() + "\": "
            + w.message()));
      }
      due(retry);
      return false;
    }
    String runtime = ctx.runtime().name();
    try {
      String pullPolicy = pullPolicy(c);
      boolean present = ctx.metrics().time(runtime, "has_image", () -> ctx.runtime().hasImage(c.getImage()));
      if (pullPolicy.equals("Never") && !present) {
        fail(pod, c, now, new Waiting("ErrImageNeverPull", "Container image \"" + c.getImage()
            + "\" is not present with pull policy of Never"));
        return false;
      }
      if (pullPolicy.equals("Always") || !present) {
        waiting.put(c.getName(), new Waiting("ContainerCreating", "pulling image " + c.getImage()));
        ctx.events().pulling(pod, c);
        try {
          ctx.metrics().time(runtime, "pull_image", () -> ctx.runtime().pullImage(c.getImage()));
        } catch (RuntimeFailure e) {
          log.warn("pod {}: cannot pull image {} for {}: {}", ref(pod), c.getImage(), c.getName(), e.getMessage());
          ctx.events().pullFailed(pod, c, e.getMessage());
          fail(pod, c, now, new Waiting("ErrImagePull", e.getMessage()));
          return false;
        }
        ctx.events().pulled(pod, c);
      } else {
        ctx.events().alreadyPresent(pod, c);
      }
      ContainerSpec spec = ctx.specs().spec(pod, c, attempt, sandbox.ip(), ctx.node(), volumePaths, sandbox.ports());
      String id = ctx.metrics().time(runtime, "create_container", () -> ctx.runtime().createContainer(sandbox, spec));
      ctx.metrics().time(runtime, "start_container", () -> ctx.runtime().startContainer(id));
      log.info("pod {}: container {} started ({}, attempt {})", ref(pod), c.getName(), shortId(id), attempt);
      ctx.events().started(pod, c);
      waiting.remove(c.getName());
      retryAt.remove(c.getName());
      failures.remove(c.getName());
      return true;
    } catch (ContainerSpecs.CreateContainerConfigError e) {
      fail(pod, c, now, new Waiting("CreateContainerConfigError", e.getMessage()));
    } catch (RuntimeFailure e) {
      log.warn("pod {}: cannot run container {}: {}", ref(pod), c.getName(), e.getMessage());
      fail(pod, c, now, new Waiting("RunContainerError", e.getMessage()));
    }
    return false;
  }

  private void fail(Pod pod, Container c, Instant now, Waiting why) {
    if (!why.reason().equals("ErrImagePull")) {
      ctx.events().failed(pod, why.reason(), why.message());
    }
    waiting.put(c.getName(), why);
    int n = failures.merge(c.getName(), 1, Integer::sum);
    Duration wait = PULL_BACKOFF.multipliedBy(1L << Math.min(n - 1, 6));
    if (wait.compareTo(Duration.ofMinutes(5)) > 0) {
      wait = Duration.ofMinutes(5);
    }
    retryAt.put(c.getName(), now.plus(wait));
    due(now.plus(wait));
  }

  /** Kubernetes' default: Always for the :latest tag (or none), else IfNotPresent. */
  static String pullPolicy(Container c) {
    if (c.getImagePullPolicy() != null && !c.getImagePullPolicy().isEmpty()) {
      return c.getImagePullPolicy();
    }
    String image = c.getImage() == null ? "" : c.getImage();
    String last = image.substring(image.lastIndexOf('/') + 1);
    return !last.contains(":") || last.endsWith(":latest") ? "Always" : "IfNotPresent";
  }

  // ---- probes

  /** Probes what is due; returns the ids of ready containers. Kills a container whose liveness or startup probe failed. */
  private Set<String> probe(Pod pod, List<ContainerInfo> containers) {
    Set<String> ready = new HashSet<>();
    Instant now = ctx.clock().instant();
    Set<String> current = new HashSet<>();
    for (Container c : orEmpty(pod.getSpec().getContainers())) {
      Optional<ContainerInfo> latest = latest(containers, c.getName()).filter(ContainerInfo::running);
      if (latest.isEmpty()) {
        continue;
      }
      ContainerInfo info = latest.get();
      current.add(info.id());
      Instant started = info.startedAt() == null ? now : info.startedAt();
      ContainerProbes p = probes.computeIfAbsent(info.id(), id -> new ContainerProbes(c, started));
      ProbeTarget target = target(pod, info);
      if (p.startup != null && p.startup.verdict() != ProbeTracker.Verdict.SUCCESS) {
        if (run("startup", p.startup, target, now) == ProbeTracker.Verdict.FAILURE) {
          kill(pod, c, info, "startup probe failed: " + p.startup.lastFailure());
          continue;
        }
        if (p.startup.verdict() != ProbeTracker.Verdict.SUCCESS) {
          due(p.startup.nextRun());
          continue;
        }
      }
      if (p.liveness != null && run("liveness", p.liveness, target, now) == ProbeTracker.Verdict.FAILURE) {
        kill(pod, c, info, "liveness probe failed: " + p.liveness.lastFailure());
        continue;
      }
      if (p.readiness != null) {
        run("readiness", p.readiness, target, now);
      }
      if (p.readiness == null || p.readiness.verdict() == ProbeTracker.Verdict.SUCCESS) {
        ready.add(info.id());
      }
      p.started = true;
      for (ProbeTracker t : new ProbeTracker[] {p.liveness, p.readiness}) {
        if (t != null) {
          due(t.nextRun());
        }
      }
    }
    probes.keySet().retainAll(current);
    return ready;
  }

  private ProbeTracker.Verdict run(String kind, ProbeTracker tracker, ProbeTarget target, Instant now) {
    if (!tracker.due(now)) {
      return tracker.verdict();
    }
    var result = ctx.prober().run(tracker.probe(), target);
    ctx.metrics().probe(kind, result.success());
    ProbeTracker.Verdict before = tracker.verdict();
    ProbeTracker.Verdict after = tracker.record(result.success(), result.message(), ctx.clock().instant());
    if (!result.success()) {
      ctx.events().unhealthy(desired, Character.toUpperCase(kind.charAt(0)) + kind.substring(1), result.message());
    }
    if (before != after && kind.equals("readiness")) {
      log.info("pod {}: readiness of a container is now {}{}", ref(desired), after,
          result.success() ? "" : " (" + result.message() + ")");
    }
    return after;
  }

  private void kill(Pod pod, Container c, ContainerInfo info, String why) {
    log.info("pod {}: container {} {}; it will be restarted", ref(pod), c.getName(), why);
    ctx.events().killing(pod, c.getName(), why);
    ctx.metrics().time(ctx.runtime().name(), "stop_container",
        () -> ctx.runtime().stopContainer(info.id(), gracePeriod(pod)));
    probes.remove(info.id());
    wake();
  }

  private ProbeTarget target(Pod pod, ContainerInfo info) {
    return new ProbeTarget() {
      @Override
      public String host() {
        return sandbox.ip();
      }

      @Override
      public int publishedPort(String port) {
        Integer number = null;
        try {
          number = Integer.parseInt(port);
        } catch (NumberFormatException named) {
          // a port name
        }
        for (PortMapping p : sandbox.ports()) {
          if (number != null ? p.containerPort() == number : port.equals(p.name())) {
            return p.hostPort();
          }
        }
        // A port the pod does not declare is not published; the process runtime has no namespace to reach it in.
        return -1;
      }

      @Override
      public ExecResult exec(List<String> command, Duration timeout) {
        return ctx.metrics().time(ctx.runtime().name(), "exec", () -> ctx.runtime().exec(info.id(), command, timeout));
      }
    };
  }

  /** A container's probes for one run of it. */
  private static final class ContainerProbes {
    final ProbeTracker startup;
    final ProbeTracker liveness;
    final ProbeTracker readiness;
    boolean started;

    ContainerProbes(Container c, Instant started) {
      this.startup = c.getStartupProbe() == null ? null
          : new ProbeTracker(c.getStartupProbe(), started, ProbeTracker.Verdict.UNKNOWN);
      this.liveness = c.getLivenessProbe() == null ? null
          : new ProbeTracker(c.getLivenessProbe(), started, ProbeTracker.Verdict.SUCCESS);
      this.readiness = c.getReadinessProbe() == null ? null
          : new ProbeTracker(c.getReadinessProbe(), started, ProbeTracker.Verdict.FAILURE);
    }
  }

  // ---- termination

  private void terminate(Pod pod, List<ContainerInfo> containers) {
    Duration grace = gracePeriod(pod);
    log.info("pod {}: terminating with a grace period of {} s", ref(pod), grace.toSeconds());
    // Not ready first, so that Endpoints stop sending traffic before the process stops.
    writeStatus(pod, containers, Set.of(), true);
    Instant deadline = ctx.clock().instant().plus(grace);
    // Then wait for the routers to stop sending it traffic, with at most half the grace period,
    // so that SIGTERM finds no request on its way (TrafficDrain says why the agent does this).
    try {
      TrafficDrain.Outcome drained = ctx.drain().await(pod, ctx.clock().instant().plus(grace.dividedBy(2)));
      if (drained.wasRouted()) {
        log.info("pod {}: {} from Endpoints after {} ms", ref(pod), drained.drained() ? "drained" : "still listed",
            drained.waited().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    List<Thread> stops = new ArrayList<>();
    for (ContainerInfo info : containers) {
      if (!info.running()) {
        continue;
      }
      Container spec = allContainers(pod).stream().filter(c -> c.getName().equals(info.name())).findFirst().orElse(null);
      ctx.events().killing(pod, info.name(), null);
      stops.add(Thread.ofVirtual().start(() -> {
        if (spec != null && spec.getLifecycle() != null && spec.getLifecycle().getPreStop() != null) {
          preStop(pod, spec, info, deadline);
        }
        Duration left = Duration.between(ctx.clock().instant(), deadline);
        ctx.metrics().time(ctx.runtime().name(), "stop_container",
            () -> ctx.runtime().stopContainer(info.id(), left.isNegative() ? Duration.ZERO : left));
      }));
    }
    for (Thread t : stops) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    removeEverything(ctx.runtime().containersOf(uid), Duration.ZERO);
    try {
      ctx.pods().inNamespace(pod.getMetadata().getNamespace()).delete(pod.getMetadata().getName(),
          new DeleteOptionsBuilder().withGracePeriodSeconds(0L).withNewPreconditions().withUid(uid).endPreconditions()
              .build());
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {
        throw e;
      }
    }
    log.info("pod {}: terminated and deleted", ref(pod));
  }

  private void preStop(Pod pod, Container spec, ContainerInfo info, Instant deadline) {
    var handler = spec.getLifecycle().getPreStop();
    Duration left = Duration.between(ctx.clock().instant(), deadline);
    try {
      if (handler.getExec() != null && handler.getExec().getCommand() != null) {
        ExecResult result = ctx.runtime().exec(info.id(), handler.getExec().getCommand(), left);
        log.info("pod {}: preStop of {} exited {}", ref(pod), spec.getName(), result.exitCode());
      } else if (handler.getHttpGet() != null) {
        var probe = new io.fabric8.kubernetes.api.model.ProbeBuilder().withHttpGet(handler.getHttpGet())
            .withTimeoutSeconds((int) Math.max(1, left.toSeconds())).build();
        var result = ctx.prober().run(probe, target(pod, info));
        log.info("pod {}: preStop of {}: {}", ref(pod), spec.getName(), result.success() ? "ok" : result.message());
      } else if (handler.getSleep() != null && handler.getSleep().getSeconds() != null) {
        Thread.sleep(Math.min(left.toMillis(), handler.getSleep().getSeconds() * 1000));
      }
    } catch (RuntimeFailure e) {
      log.warn("pod {}: preStop of {} failed: {}", ref(pod), spec.getName(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void removeEverything(List<ContainerInfo> containers, Duration grace) {
    for (ContainerInfo info : containers) {
      if (info.running()) {
        ctx.runtime().stopContainer(info.id(), grace);
      }
      ctx.runtime().removeContainer(info.id());
    }
    Sandbox s = sandbox;
    if (s == null) {
      s = ctx.runtime().listSandboxes().stream().filter(x -> x.pod().uid().equals(uid)).findFirst().orElse(null);
    }
    ctx.runtime().removeSandbox(uid);
    if (s != null) {
      s.ports().forEach(p -> ctx.ports().release(p.hostPort()));
    }
    ctx.volumes().remove(uid);
  }

  private static Duration gracePeriod(Pod pod) {
    Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (seconds == null) {
      seconds = pod.getSpec().getTerminationGracePeriodSeconds();
    }
    return Duration.ofSeconds(seconds == null ? 30 : Math.max(0, seconds));
  }

  // ---- status

  private void removeOldAttempts(List<ContainerInfo> containers) {
    // Keep the latest attempt and the one before it (for lastState and "logs --previous").
    Map<String, List<ContainerInfo>> byName = new HashMap<>();
    containers.forEach(c -> byName.computeIfAbsent(c.name(), n -> new ArrayList<>()).add(c));
    for (List<ContainerInfo> attempts : byName.values()) {
      attempts.sort(Comparator.comparingInt(ContainerInfo::attempt).reversed());
      for (ContainerInfo old : attempts.subList(Math.min(2, attempts.size()), attempts.size())) {
        if (old.exited()) {
          ctx.runtime().removeContainer(old.id());
        }
      }
    }
  }

  private void writeStatus(Pod pod, List<ContainerInfo> containers, Set<String> ready, boolean terminating) {
    writeStatus(pod, containers, ready, terminating, Set.of());
  }

  private void writeStatus(Pod pod, List<ContainerInfo> containers, Set<String> ready, boolean terminating,
      Set<String> willRestart) {
    Set<String> started = new HashSet<>();
    probes.forEach((id, p) -> {
      if (p.started) {
        started.add(id);
      }
    });
    containers.stream().filter(ContainerInfo::running).filter(c -> !probes.containsKey(c.id())).forEach(c -> started.add(c.id()));
    Instant now = ctx.clock().instant();
    PodObservation seen = new PodObservation(containers, ready, started, Map.copyOf(waiting), willRestart,
        sandbox == null ? null : sandbox.ip(), ctx.nodeAddress(), terminating, now, ctx.runtime().name());
    Pod base = lastWritten == null ? pod : podWithStatus(pod, lastWritten);
    PodStatus status = PodStatusCalculator.compute(base, seen);
    observeLatency(pod, status, now);
    if (status.equals(lastWritten)) {
      return;
    }
    try {
      String patch = Json.MAPPER.writeValueAsString(Map.of("status", status));
      ctx.pods().inNamespace(pod.getMetadata().getNamespace()).patchStatus(pod.getMetadata().getName(),
          PatchType.MERGE, patch);
      if (lastWritten == null || !status.getPhase().equals(lastWritten.getPhase())) {
        log.info("pod {}: phase {}", ref(pod), status.getPhase());
      }
      lastWritten = status;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }

  private static Pod podWithStatus(Pod pod, PodStatus status) {
    Pod copy = new io.fabric8.kubernetes.api.model.PodBuilder(pod).build();
    copy.setStatus(status);
    return copy;
  }

  private void observeLatency(Pod pod, PodStatus status, Instant now) {
    String created = pod.getMetadata().getCreationTimestamp();
    if (created == null) {
      return;
    }
    double seconds = Duration.between(Instant.parse(created), now).toMillis() / 1000.0;
    if (!startObserved && "Running".equals(status.getPhase())) {
      startObserved = true;
      ctx.metrics().podStarted(seconds);
    }
    if (!readyObserved && status.getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
      readyObserved = true;
      ctx.metrics().podReady(seconds);
    }
  }

  // ---- helpers

  private void due(Instant at) {
    if (nextDue == null || at.isBefore(nextDue)) {
      nextDue = at;
    }
  }

  private static Optional<ContainerInfo> latest(List<ContainerInfo> containers, String name) {
    return containers.stream().filter(c -> c.name().equals(name)).max(Comparator.comparingInt(ContainerInfo::attempt));
  }

  private static List<Container> allContainers(Pod pod) {
    List<Container> all = new ArrayList<>(orEmpty(pod.getSpec().getInitContainers()));
    all.addAll(orEmpty(pod.getSpec().getContainers()));
    return all;
  }

  private static PodRef podRef(Pod pod) {
    return new PodRef(pod.getMetadata().getUid(), pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  private static String ref(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static String shortId(String id) {
    return id.length() > 12 && !id.contains("_") ? id.substring(0, 12) : id;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
