package io.berth.agent.runtime.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.runtime.ContainerInfo;
import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.runtime.ContainerSpec;
import io.berth.agent.runtime.ExecResult;
import io.berth.agent.runtime.LogFiles;
import io.berth.agent.runtime.LogOptions;
import io.berth.agent.runtime.Mount;
import io.berth.agent.runtime.PodRef;
import io.berth.agent.runtime.PortMapping;
import io.berth.agent.runtime.RuntimeFailure;
import io.berth.agent.runtime.Sandbox;
import io.berth.agent.runtime.SandboxSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime for machines without a container engine (like Nomad's raw_exec): each
 * container's command runs as a host process in its pod's working directory. There is no
 * network namespace to map ports into, so each declared port's published node port is given
 * to the process to listen on, as {@code PORT} (its first port) and {@code PORT_<NAME>}.
 * Volumes are symlinked into the pod's working directory at their mount paths, and a
 * container's workingDir is read inside it too ({@code /data} is {@code work/data}).
 *
 * <p>Layout under the root: {@code pods/<uid>/sandbox.json}, {@code pods/<uid>/work/} (the
 * working directory), {@code pods/<uid>/containers/<name>_<attempt>/} holding container.json,
 * {@code log} (stdout and stderr) and {@code exit} (the exit code, once it exited).
 *
 * <p>Each process runs under a small shell wrapper in its own session, so that it outlives a
 * restart of the agent, its exit code is written down even when no agent is there to see it,
 * SIGTERM reaches it, and SIGKILL reaches its whole process group.
 */
public final class ProcessRuntime implements ContainerRuntime {
  private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Runs "$@" in the background, forwards SIGTERM to it, and writes its exit code to $1 once it is gone. */
  private static final String WRAPPER = """
      exitfile=$1; shift
      "$@" </dev/null &
      child=$!
      trap 'kill -TERM $child 2>/dev/null' TERM
      while :; do
        wait $child; rc=$?
        kill -0 $child 2>/dev/null || break
      done
      echo $rc > "$exitfile.tmp" && mv "$exitfile.tmp" "$exitfile"
      """;

  private final Path root;
  private final String node;

  /** @param root this agent's directory for process pods; @param node the node name it labels them with */
  public ProcessRuntime(Path root, String node) {
    this.root = root.toAbsolutePath();
    this.node = node;
    try {
      Files.createDirectories(this.root.resolve("pods"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + root, e);
    }
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public String version() {
    return "process://" + Runtime.version().feature();
  }

  @Override
  public boolean hasImage(String image) {
    return true;
  }

  @Override
  public void pullImage(String image) {
    // No images: the command runs on the host.
  }

  @Override
  public synchronized Sandbox runSandbox(SandboxSpec spec) {
    Path dir = podDir(spec.pod().uid());
    Optional<Sandbox> existing = readSandbox(dir);
    if (existing.isPresent()) {
      return existing.get();
    }
    ProcessSandbox record = new ProcessSandbox();
    record.node = node;
    record.podUid = spec.pod().uid();
    record.podNamespace = spec.pod().namespace();
    record.podName = spec.pod().name();
    record.ip = spec.nodeAddress();
    record.ports = spec.ports();
    try {
      Files.createDirectories(dir.resolve("work"));
      Files.createDirectories(dir.resolve("containers"));
      writeJson(dir.resolve("sandbox.json"), record);
    } catch (IOException e) {
      throw new RuntimeFailure("cannot create the pod directory " + dir + ": " + e.getMessage(), e);
    }
    return toSandbox(record);
  }

  @Override
  public synchronized void removeSandbox(String podUid) {
    Path dir = podDir(podUid);
    for (ContainerInfo c : containersOf(dir)) {
      removeContainer(c.id());
    }
    deleteTree(dir);
  }

  @Override
  public List<Sandbox> listSandboxes() {
    try (Stream<Path> pods = Files.list(root.resolve("pods"))) {
      return pods.map(this::readSandbox).flatMap(Optional::stream).toList();
    } catch (IOException e) {
      throw new RuntimeFailure("cannot list " + root.resolve("pods") + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized String createContainer(Sandbox sandbox, ContainerSpec spec) {
    if (spec.commandLine().isEmpty()) {
      throw new RuntimeFailure("container " + spec.name() + " has no command: the process runtime runs "
          + "the pod's command and args on the host, it has no image to take one from");
    }
    Path pod = podDir(sandbox.pod().uid());
    Path dir = pod.resolve("containers").resolve(spec.name() + "_" + spec.attempt());
    ProcessContainer record = new ProcessContainer();
    record.id = sandbox.pod().uid() + "_" + spec.name() + "_" + spec.attempt();
    record.node = node;
    record.podUid = sandbox.pod().uid();
    record.podNamespace = sandbox.pod().namespace();
    record.podName = sandbox.pod().name();
    record.name = spec.name();
    record.attempt = spec.attempt();
    record.image = spec.image();
    record.commandLine = spec.commandLine();
    Path work = pod.resolve("work");
    record.env = environment(sandbox, spec, work);
    try {
      Files.createDirectories(dir);
      linkVolumes(work, spec.mounts());
      // A container's paths are read inside the pod's working directory: workingDir /data is work/data.
      Path workingDir = spec.workingDir() == null ? work : inside(work, spec.workingDir());
      Files.createDirectories(workingDir);
      record.workingDir = workingDir.toString();
      writeJson(dir.resolve("container.json"), record);
    } catch (IOException e) {
      throw new RuntimeFailure("cannot create container " + spec.name() + " in " + dir + ": " + e.getMessage(), e);
    }
    return record.id;
  }

  @Override
  public synchronized void startContainer(String containerId) {
    Path dir = containerDir(containerId);
    ProcessContainer record = readContainer(dir).orElseThrow(() -> new RuntimeFailure("no container " + containerId));
    if (record.pid != 0) {
      throw new RuntimeFailure("container " + containerId + " was started already");
    }
    List<String> command = new ArrayList<>(List.of("setsid", "/bin/sh", "-c", WRAPPER, "berth-process",
        dir.resolve("exit").toString()));
    command.addAll(record.commandLine);
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of(record.workingDir).toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log").toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(record.env);
    try {
      Process process = builder.start();
      record.pid = process.pid();
      record.pidStartTime = ProcStat.startTime(process.pid());
      record.startedAt = Instant.now().toString();
      writeJson(dir.resolve("container.json"), record);
    } catch (IOException e) {
      throw new RuntimeFailure("cannot start " + record.commandLine.get(0) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void stopContainer(String containerId, Duration grace) {
    Path dir = containerDir(containerId);
    ProcessContainer record = readContainer(dir).orElse(null);
    if (record == null || !isRunning(record)) {
      return;
    }
    // SIGTERM to the wrapper, which passes it on to the process.
    ProcessHandle.of(record.pid).ifPresent(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    while (System.nanoTime() < deadline && isRunning(record)) {
      sleep(50);
    }
    if (isRunning(record)) {
      killGroup(record.pid);
      long killDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (isRunning(record) && System.nanoTime() < killDeadline) {
        sleep(20);
      }
    }
    synchronized (this) {
      if (!Files.exists(dir.resolve("exit"))) {
        record.killedExitCode = 137;
        record.killedAt = Instant.now().toString();
        writeJsonQuietly(dir.resolve("container.json"), record);
      }
    }
  }

  @Override
  public void removeContainer(String containerId) {
    Path dir = containerDir(containerId);
    ProcessContainer record = readContainer(dir).orElse(null);
    if (record == null) {
      return;
    }
    if (isRunning(record)) {
      killGroup(record.pid);
    }
    // The log stays for a moment for "previous" logs only as long as the directory does.
    deleteTree(dir);
  }

  @Override
  public List<ContainerInfo> listContainers() {
    try (Stream<Path> pods = Files.list(root.resolve("pods"))) {
      return pods.flatMap(pod -> containersOf(pod).stream()).toList();
    } catch (IOException e) {
      throw new RuntimeFailure("cannot list " + root.resolve("pods") + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ContainerInfo> inspect(String containerId) {
    Path dir = containerDir(containerId);
    return readContainer(dir).map(record -> toInfo(dir, record));
  }

  @Override
  public void logs(String containerId, LogOptions options, OutputStream out) throws IOException {
    Path dir = containerDir(containerId);
    ProcessContainer record = readContainer(dir).orElseThrow(() -> new RuntimeFailure("no container " + containerId));
    LogFiles.send(dir.resolve("log"), options, out, () -> isRunning(record));
  }

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    Path dir = containerDir(containerId);
    ProcessContainer record = readContainer(dir).orElseThrow(() -> new RuntimeFailure("no container " + containerId));
    if (!isRunning(record)) {
      throw new RuntimeFailure("container " + record.name + " is not running");
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of(record.workingDir).toFile());
    builder.environment().clear();
    builder.environment().putAll(record.env);
    try {
      Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      FutureTask<byte[]> stdout = readAllOf(process.getInputStream());
      FutureTask<byte[]> stderr = readAllOf(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new ExecResult(-1, "", "timed out after " + timeout.toMillis() + " ms");
      }
      return new ExecResult(process.exitValue(), new String(stdout.get(), StandardCharsets.UTF_8),
          new String(stderr.get(), StandardCharsets.UTF_8));
    } catch (IOException | java.util.concurrent.ExecutionException e) {
      throw new RuntimeFailure("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted", e);
    }
  }

  /** Reads a stream to its end (at most 1 MiB) on a virtual thread, so that neither pipe fills and blocks. */
  private static FutureTask<byte[]> readAllOf(java.io.InputStream in) {
    FutureTask<byte[]> task = new FutureTask<>(() -> in.readNBytes(1 << 20));
    Thread.ofVirtual().start(task);
    return task;
  }

  @Override
  public void close() {
    // Processes are left running on purpose: the next agent on this data dir adopts them.
  }

  private Map<String, String> environment(Sandbox sandbox, ContainerSpec spec, Path work) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("HOME", work.toString());
    env.put("HOSTNAME", sandbox.pod().name());
    List<PortMapping> ports = spec.ports().isEmpty() ? sandbox.ports() : spec.ports();
    if (!ports.isEmpty()) {
      env.put("PORT", Integer.toString(ports.get(0).hostPort()));
    }
    for (PortMapping port : ports) {
      if (port.name() != null && !port.name().isEmpty()) {
        env.put("PORT_" + port.name().toUpperCase(Locale.ROOT).replace('-', '_'), Integer.toString(port.hostPort()));
      }
    }
    env.putAll(spec.env());
    return env;
  }

  private static Path inside(Path work, String containerPath) throws IOException {
    Path path = work.resolve(containerPath.replaceFirst("^/+", "")).normalize();
    if (!path.startsWith(work)) {
      throw new IOException("path " + containerPath + " leaves the pod's working directory");
    }
    return path;
  }

  /** Shows each volume at its mount path relative to the working directory: /data becomes work/data. */
  private static void linkVolumes(Path work, List<Mount> mounts) throws IOException {
    for (Mount mount : mounts) {
      String relative = mount.containerPath().replaceFirst("^/+", "");
      if (relative.isEmpty()) {
        continue;
      }
      Path link = work.resolve(relative).normalize();
      if (!link.startsWith(work)) {
        throw new IOException("mount path " + mount.containerPath() + " leaves the pod's working directory");
      }
      Files.createDirectories(link.getParent());
      if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of(mount.hostPath()));
      }
    }
  }

  private List<ContainerInfo> containersOf(Path pod) {
    Path containers = pod.resolve("containers");
    if (!Files.isDirectory(containers)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(containers)) {
      return dirs.map(dir -> readContainer(dir).map(r -> toInfo(dir, r))).flatMap(Optional::stream)
          .sorted(Comparator.comparing(ContainerInfo::name).thenComparing(ContainerInfo::attempt)).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private ContainerInfo toInfo(Path dir, ProcessContainer r) {
    PodRef pod = new PodRef(r.podUid, r.podNamespace, r.podName);
    Instant started = r.startedAt == null ? null : Instant.parse(r.startedAt);
    if (r.pid == 0) {
      return new ContainerInfo(r.id, pod, r.name, r.attempt, ContainerInfo.State.CREATED, 0, null, null, null, r.image);
    }
    if (isRunning(r)) {
      return new ContainerInfo(r.id, pod, r.name, r.attempt, ContainerInfo.State.RUNNING, 0, null, started, null,
          r.image);
    }
    Path exit = dir.resolve("exit");
    try {
      if (Files.exists(exit)) {
        int code = Integer.parseInt(Files.readString(exit).trim());
        return new ContainerInfo(r.id, pod, r.name, r.attempt, ContainerInfo.State.EXITED, code,
            ContainerInfo.reasonFor(code), started, Files.getLastModifiedTime(exit).toInstant(), r.image);
      }
    } catch (IOException | NumberFormatException e) {
      // written half: treat as killed below
    }
    int code = r.killedExitCode == null ? 137 : r.killedExitCode;
    Instant finished = r.killedAt == null ? Instant.now() : Instant.parse(r.killedAt);
    return new ContainerInfo(r.id, pod, r.name, r.attempt, ContainerInfo.State.EXITED, code, "Error", started,
        finished, r.image);
  }

  private static boolean isRunning(ProcessContainer record) {
    return record.pid != 0 && ProcStat.alive(record.pid, record.pidStartTime);
  }

  private Optional<Sandbox> readSandbox(Path pod) {
    Path file = pod.resolve("sandbox.json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      ProcessSandbox record = JSON.readValue(file.toFile(), ProcessSandbox.class);
      return node.equals(record.node) ? Optional.of(toSandbox(record)) : Optional.empty();
    } catch (IOException e) {
      log.warn("ignoring unreadable sandbox record {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  private static Sandbox toSandbox(ProcessSandbox r) {
    return new Sandbox(r.podUid, new PodRef(r.podUid, r.podNamespace, r.podName), r.ip, r.ports, true);
  }

  private Optional<ProcessContainer> readContainer(Path dir) {
    Path file = dir.resolve("container.json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      ProcessContainer record = JSON.readValue(file.toFile(), ProcessContainer.class);
      return node.equals(record.node) ? Optional.of(record) : Optional.empty();
    } catch (IOException e) {
      log.warn("ignoring unreadable container record {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  private Path podDir(String uid) {
    if (uid == null || uid.isEmpty() || uid.contains("/") || uid.contains("_") || uid.startsWith(".")) {
      throw new RuntimeFailure("not a pod uid: " + uid);
    }
    return root.resolve("pods").resolve(uid);
  }

  /** A container id is {@code <pod uid>_<container name>_<attempt>}. */
  private Path containerDir(String containerId) {
    int first = containerId.indexOf('_');
    if (first <= 0) {
      throw new RuntimeFailure("not a process container id: " + containerId);
    }
    String rest = containerId.substring(first + 1);
    if (rest.contains("/") || rest.startsWith(".")) {
      throw new RuntimeFailure("not a process container id: " + containerId);
    }
    return podDir(containerId.substring(0, first)).resolve("containers").resolve(rest);
  }

  private static void killGroup(long pid) {
    try {
      new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void writeJson(Path file, Object value) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), value);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeJsonQuietly(Path file, Object value) {
    try {
      writeJson(file, value);
    } catch (IOException e) {
      log.warn("cannot write {}: {}", file, e.getMessage());
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      // Symlinks (volumes) are deleted as links; walk does not follow them.
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          log.warn("cannot delete {}: {}", p, e.getMessage());
        }
      });
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.getMessage());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
