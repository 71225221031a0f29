package io.berth.store.testing;

import io.berth.store.server.StoreConfig;
import io.berth.store.server.StoreServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A store replica in its own JVM, for tests that need what only a process can have done to it:
 * {@code kill -9} (no shutdown code runs) and SIGSTOP (every thread frozen, Ratis' JVM pause
 * monitor included). {@link #main} runs the member; {@link #start} forks one.
 */
public final class ForkedMember implements AutoCloseable {
  private final Process process;

  private ForkedMember(Process process) {
    this.process = process;
  }

  /** Forks a member with {@code config}'s name, data dir, peers, client port, join flag and snapshot interval. */
  public static ForkedMember start(StoreConfig config, Path log) throws IOException {
    String peers = String.join(",", config.peers().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), ForkedMember.class.getName(),
        config.name(), config.dataDir().toString(), peers, Integer.toString(config.clientPort()),
        Boolean.toString(config.joinExisting()), Long.toString(config.snapshotEveryEntries()),
        Long.toString(config.logSegmentBytes())));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new ForkedMember(process);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** kill -9: no shutdown hook, no Ratis close, no snapshot on stop. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  public static void main(String[] args) throws Exception {
    // Ratis' own account of the division (elections, installs, shutdowns) goes to the member's log.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.ratis"))
        .setLevel(ch.qos.logback.classic.Level.INFO);
    Map<String, String> peers = new LinkedHashMap<>();
    for (String peer : args[2].split(",")) {
      peers.put(peer.substring(0, peer.indexOf('=')), peer.substring(peer.indexOf('=') + 1));
    }
    StoreConfig config = StoreConfig.builder()
        .name(args[0])
        .dataDir(new File(args[1]).toPath())
        .peers(peers)
        .clientHost("127.0.0.1")
        .clientPort(Integer.parseInt(args[3]))
        .joinExisting(Boolean.parseBoolean(args[4]))
        .snapshotEveryEntries(Long.parseLong(args[5]))
        .logSegmentBytes(Long.parseLong(args[6]))
        .build();
    StoreServer server = StoreServer.start(config);
    System.out.println("forked member " + config.name() + " started, pid " + ProcessHandle.current().pid());
    Thread.currentThread().join();
    server.close();
  }
}
