package io.berth.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.berth.agent.runtime.ContainerInfo;
import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.runtime.ContainerSpec;
import io.berth.agent.runtime.ExecResult;
import io.berth.agent.runtime.Labels;
import io.berth.agent.runtime.LogOptions;
import io.berth.agent.runtime.Mount;
import io.berth.agent.runtime.PodRef;
import io.berth.agent.runtime.PortMapping;
import io.berth.agent.runtime.RuntimeFailure;
import io.berth.agent.runtime.Sandbox;
import io.berth.agent.runtime.SandboxSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime on a real Docker engine, through docker-java over the engine's socket.
 *
 * <p>A pod's sandbox is an infra container (like Kubernetes' pause container) that holds the
 * pod's network namespace and publishes its declared ports on the node address; every
 * container of the pod joins that namespace ({@code --network container:<infra>}). Volumes are
 * bind mounts of the agent's host directories; limits become the container's cgroup settings
 * (CFS quota, cpu shares, memory without extra swap, so exceeding it is an OOM kill).
 *
 * <p>Every container carries the {@link Labels}; names are {@code berth_<node>_<ns>_<pod>_<container>_<attempt>_<uid8>}
 * so that {@code docker ps} reads well and two agents on one engine never clash.
 */
public final class DockerRuntime implements ContainerRuntime {
  private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);
  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  private final DockerClient docker;
  private final String node;
  private final String infraImage;
  /** Inspections of containers whose state has not changed since (keyed by id and state), so relists stay cheap. */
  private final Map<String, ContainerInfo> inspected = new ConcurrentHashMap<>();

  /**
   * @param host the engine, e.g. unix:///var/run/docker.sock
   * @param node the node name everything is labelled with
   * @param infraImage the image of the sandbox's infra container (it needs a {@code sleep})
   */
  public DockerRuntime(String host, String node, String infraImage) {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    var http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig()).maxConnections(64).connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofMinutes(5)).build();
    this.docker = DockerClientImpl.getInstance(config, http);
    this.node = node;
    this.infraImage = infraImage;
  }

  /** Whether an engine answers at {@code host} (for --runtime auto). */
  public static boolean reachable(String host) {
    String path = host.startsWith("unix://") ? host.substring("unix://".length()) : null;
    if (path != null && !java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
      return false;
    }
    try (DockerRuntime runtime = new DockerRuntime(host, "probe", "none")) {
      runtime.docker.pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public String version() {
    return call(() -> "docker://" + docker.versionCmd().exec().getVersion());
  }

  @Override
  public boolean hasImage(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (DockerException e) {
      throw failure(e);
    }
  }

  @Override
  public void pullImage(String image) {
    try {
      docker.pullImageCmd(image).exec(new PullImageResultCallback()).awaitCompletion(5, TimeUnit.MINUTES);
    } catch (RuntimeException e) {
      throw new RuntimeFailure("failed to pull image \"" + image + "\": " + message(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted while pulling " + image, e);
    }
  }

  @Override
  public Sandbox runSandbox(SandboxSpec spec) {
    Optional<Sandbox> existing = sandboxOf(spec.pod().uid());
    if (existing.isPresent() && existing.get().running()) {
      return existing.get();
    }
    existing.ifPresent(s -> removeQuietly(s.id()));
    Ports bindings = new Ports();
    List<ExposedPort> exposed = new ArrayList<>();
    for (PortMapping p : spec.ports()) {
      ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol().toLowerCase()));
      exposed.add(port);
      bindings.bind(port, Ports.Binding.bindIpAndPort(spec.nodeAddress(), p.hostPort()));
    }
    Map<String, String> labels = Labels.sandbox(node, spec.pod());
    labels.put("berth.io/ports", io.berth.agent.pods.PublishedPorts.encode(portsByKey(spec.ports())));
    labels.put("berth.io/ip", spec.nodeAddress());
    Map<String, String> portNames = new java.util.TreeMap<>();
    spec.ports().stream().filter(p -> p.name() != null).forEach(p -> portNames.put(p.key(), p.name()));
    labels.put("berth.io/port-names", json(portNames));
    String name = "berth_" + node + "_" + spec.pod().namespace() + "_" + spec.pod().name() + "_infra_"
        + shortUid(spec.pod().uid());
    String id = call(() -> createReplacing(name, () -> docker.createContainerCmd(infraImage).withName(name)
        .withLabels(labels).withCmd("sleep", "2147483647").withHostName(truncate(spec.hostname(), 63))
        .withExposedPorts(exposed)
        .withHostConfig(HostConfig.newHostConfig().withPortBindings(bindings).withInit(true)).exec().getId()));
    try {
      docker.startContainerCmd(id).exec();
    } catch (DockerException e) {
      removeQuietly(id);
      throw failure(e);
    }
    return new Sandbox(id, spec.pod(), spec.nodeAddress(), spec.ports(), true);
  }

  @Override
  public void removeSandbox(String podUid) {
    for (Container c : list(Map.of(Labels.NODE, node, Labels.POD_UID, podUid, Labels.ROLE, "sandbox"))) {
      removeQuietly(c.getId());
    }
  }

  @Override
  public List<Sandbox> listSandboxes() {
    List<Sandbox> sandboxes = new ArrayList<>();
    for (Container c : list(Map.of(Labels.NODE, node, Labels.ROLE, "sandbox"))) {
      sandboxes.add(toSandbox(c));
    }
    return sandboxes;
  }

  private Optional<Sandbox> sandboxOf(String podUid) {
    return list(Map.of(Labels.NODE, node, Labels.POD_UID, podUid, Labels.ROLE, "sandbox")).stream()
        .map(this::toSandbox).findFirst();
  }

  private Sandbox toSandbox(Container c) {
    Map<String, String> labels = c.getLabels();
    List<PortMapping> ports = new ArrayList<>();
    try {
      Map<String, Integer> byKey = io.berth.client.transport.Json.MAPPER.readValue(
          labels.getOrDefault("berth.io/ports", "{}"), new com.fasterxml.jackson.core.type.TypeReference<>() {});
      Map<String, String> names = io.berth.client.transport.Json.MAPPER.readValue(
          labels.getOrDefault("berth.io/port-names", "{}"), new com.fasterxml.jackson.core.type.TypeReference<>() {});
      byKey.forEach((key, host) -> {
        String[] parts = key.split("/");
        ports.add(new PortMapping(names.get(key), Integer.parseInt(parts[0]), parts[1], host));
      });
    } catch (IOException e) {
      log.warn("sandbox {} has unreadable port labels: {}", c.getId(), e.getMessage());
    }
    return new Sandbox(c.getId(), podRef(labels), labels.get("berth.io/ip"), ports, "running".equals(c.getState()));
  }

  private static String json(Object value) {
    try {
      return io.berth.client.transport.Json.MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String createContainer(Sandbox sandbox, ContainerSpec spec) {
    String name = "berth_" + node + "_" + spec.pod().namespace() + "_" + spec.pod().name() + "_" + spec.name() + "_"
        + spec.attempt() + "_" + shortUid(spec.pod().uid());
    HostConfig host = HostConfig.newHostConfig().withNetworkMode("container:" + sandbox.id())
        .withBinds(spec.mounts().stream().map(DockerRuntime::bind).toList());
    if (spec.resources().memoryLimitBytes() > 0) {
      // No swap beyond the limit: a container that needs more memory is OOM-killed, as in Kubernetes.
      host.withMemory(spec.resources().memoryLimitBytes()).withMemorySwap(spec.resources().memoryLimitBytes());
    }
    if (spec.resources().cpuQuotaMicros() > 0) {
      host.withCpuPeriod(100_000L).withCpuQuota(spec.resources().cpuQuotaMicros());
    }
    if (spec.resources().cpuShares() > 0) {
      host.withCpuShares((int) spec.resources().cpuShares());
    }
    List<String> env = spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    return call(() -> createReplacing(name, () -> {
      var create = docker.createContainerCmd(spec.image()).withName(name)
          .withLabels(Labels.container(node, spec.pod(), spec.name(), spec.attempt())).withEnv(env)
          .withHostConfig(host);
      if (!spec.command().isEmpty()) {
        create.withEntrypoint(spec.command());
        // Kubernetes: a command without args drops the image's CMD.
        create.withCmd(spec.args());
      } else if (!spec.args().isEmpty()) {
        create.withCmd(spec.args());
      }
      if (spec.workingDir() != null && !spec.workingDir().isEmpty()) {
        create.withWorkingDir(spec.workingDir());
      }
      return create.exec().getId();
    }));
  }

  /** Creates; when the name is taken by a leftover (an attempt created but never recorded), removes it and creates again. */
  private String createReplacing(String name, Supplier<String> create) {
    try {
      return create.get();
    } catch (ConflictException e) {
      log.info("removing leftover container {} to create it again", name);
      removeQuietly(name);
      return create.get();
    }
  }

  private static Bind bind(Mount mount) {
    return new Bind(mount.hostPath(), new Volume(mount.containerPath()), mount.readOnly() ? AccessMode.ro : AccessMode.rw);
  }

  @Override
  public void startContainer(String containerId) {
    call(() -> {
      docker.startContainerCmd(containerId).exec();
      return null;
    });
  }

  @Override
  public void stopContainer(String containerId, Duration grace) {
    try {
      // The engine sends SIGTERM, waits, then SIGKILL; its timeout is whole seconds.
      int seconds = (int) Math.max(0, (grace.toMillis() + 999) / 1000);
      docker.stopContainerCmd(containerId).withTimeout(seconds).exec();
    } catch (NotModifiedException | NotFoundException e) {
      // exited or gone already
    } catch (DockerException e) {
      throw failure(e);
    }
  }

  @Override
  public void removeContainer(String containerId) {
    removeQuietly(containerId);
    inspected.keySet().removeIf(k -> k.startsWith(containerId + "/"));
  }

  private void removeQuietly(String idOrName) {
    try {
      docker.removeContainerCmd(idOrName).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // gone already
    } catch (ConflictException e) {
      // removal already in progress
    } catch (DockerException e) {
      throw failure(e);
    }
  }

  @Override
  public List<ContainerInfo> listContainers() {
    return infos(list(Map.of(Labels.NODE, node, Labels.ROLE, "container")));
  }

  @Override
  public List<ContainerInfo> containersOf(String podUid) {
    return infos(list(Map.of(Labels.NODE, node, Labels.POD_UID, podUid, Labels.ROLE, "container")));
  }

  private List<ContainerInfo> infos(List<Container> containers) {
    List<ContainerInfo> infos = new ArrayList<>();
    Map<String, Boolean> live = new java.util.HashMap<>();
    for (Container c : containers) {
      String key = c.getId() + "/" + c.getState();
      live.put(key, true);
      ContainerInfo info = inspected.get(key);
      if (info == null) {
        Optional<ContainerInfo> fresh = inspect(c.getId());
        if (fresh.isEmpty()) {
          continue;
        }
        info = fresh.get();
        // Cache only states that hold still; a container caught mid-change is inspected again next time.
        if (("running".equals(c.getState()) && info.running()) || ("exited".equals(c.getState()) && info.exited())) {
          inspected.put(key, info);
        }
      }
      infos.add(info);
    }
    return infos;
  }

  @Override
  public Optional<ContainerInfo> inspect(String containerId) {
    InspectContainerResponse response;
    try {
      response = docker.inspectContainerCmd(containerId).exec();
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (DockerException e) {
      throw failure(e);
    }
    Map<String, String> labels = response.getConfig().getLabels();
    if (labels == null || !node.equals(labels.get(Labels.NODE)) || !labels.containsKey(Labels.CONTAINER_NAME)) {
      return Optional.empty();
    }
    var state = response.getState();
    Instant started = instant(state.getStartedAt());
    Instant finished = instant(state.getFinishedAt());
    ContainerInfo.State s;
    if (Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getRestarting())
        || Boolean.TRUE.equals(state.getPaused())) {
      s = ContainerInfo.State.RUNNING;
    } else if ("created".equals(state.getStatus())) {
      s = ContainerInfo.State.CREATED;
    } else {
      s = ContainerInfo.State.EXITED;
    }
    int exitCode = state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue();
    String reason = s != ContainerInfo.State.EXITED ? null
        : Boolean.TRUE.equals(state.getOOMKilled()) ? "OOMKilled" : ContainerInfo.reasonFor(exitCode);
    return Optional.of(new ContainerInfo(response.getId(), podRef(labels), labels.get(Labels.CONTAINER_NAME),
        Integer.parseInt(labels.getOrDefault(Labels.ATTEMPT, "0")), s, exitCode, reason,
        s == ContainerInfo.State.CREATED ? null : started, s == ContainerInfo.State.EXITED ? finished : null,
        response.getConfig().getImage()));
  }

  @Override
  public void logs(String containerId, LogOptions options, OutputStream out) throws IOException {
    var command = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true)
        .withFollowStream(options.follow()).withTimestamps(options.timestamps());
    if (options.tailLines() >= 0) {
      command.withTail(options.tailLines());
    }
    if (options.sinceSeconds() > 0) {
      command.withSince((int) (Instant.now().getEpochSecond() - options.sinceSeconds()));
    }
    long limit = options.limitBytes() > 0 ? options.limitBytes() : Long.MAX_VALUE;
    IOException[] failed = new IOException[1];
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      private long sent;

      @Override
      public void onNext(Frame frame) {
        if (failed[0] != null || sent >= limit) {
          return;
        }
        byte[] payload = frame.getPayload();
        int n = (int) Math.min(payload.length, limit - sent);
        try {
          out.write(payload, 0, n);
          out.flush();
          sent += n;
          if (sent >= limit) {
            close();
          }
        } catch (IOException e) {
          // The reader went away: stop following.
          failed[0] = e;
          try {
            close();
          } catch (IOException ignored) {
            // closing the stream from the engine
          }
        }
      }
    };
    try {
      command.exec(callback).awaitCompletion();
    } catch (NotFoundException e) {
      throw new RuntimeFailure("container " + containerId + " not found");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    try {
      String execId = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
          .withAttachStdout(true).withAttachStderr(true).exec().getId();
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      boolean done = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
        @Override
        public void onNext(Frame frame) {
          (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).writeBytes(frame.getPayload());
        }
      }).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        return new ExecResult(-1, stdout.toString(StandardCharsets.UTF_8), "timed out after " + timeout.toMillis() + " ms");
      }
      Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
      return new ExecResult(code == null ? -1 : code.intValue(), stdout.toString(StandardCharsets.UTF_8),
          stderr.toString(StandardCharsets.UTF_8));
    } catch (DockerException e) {
      throw failure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      docker.close();
    } catch (IOException e) {
      log.debug("closing the docker client: {}", e.getMessage());
    }
  }

  private List<Container> list(Map<String, String> labels) {
    return call(() -> docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec());
  }

  private static PodRef podRef(Map<String, String> labels) {
    return new PodRef(labels.get(Labels.POD_UID), labels.get(Labels.POD_NAMESPACE), labels.get(Labels.POD_NAME));
  }

  private static Map<String, Integer> portsByKey(List<PortMapping> ports) {
    Map<String, Integer> byKey = new java.util.LinkedHashMap<>();
    ports.forEach(p -> byKey.put(p.key(), p.hostPort()));
    return byKey;
  }

  private static Instant instant(String time) {
    if (time == null || time.isEmpty() || time.startsWith("0001-01-01")) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String shortUid(String uid) {
    return uid.length() > 8 ? uid.substring(0, 8) : uid;
  }

  private static String truncate(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }

  private static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (DockerException e) {
      throw failure(e);
    } catch (RuntimeException e) {
      if (e instanceof RuntimeFailure failure) {
        throw failure;
      }
      throw new RuntimeFailure(message(e), e);
    }
  }

  private static RuntimeFailure failure(DockerException e) {
    return new RuntimeFailure(message(e), e);
  }

  /** The engine's own message, without docker-java's "Status 404: {...}" wrapping. */
  static String message(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int at = message.indexOf("{\"message\":\"");
    if (at >= 0) {
      String rest = message.substring(at + 12);
      int end = rest.lastIndexOf("\"}");
      return end > 0 ? rest.substring(0, end).replace("\\\"", "\"") : rest;
    }
    return message.strip();
  }
}
