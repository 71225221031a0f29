package io.berth.cli.drill;

import io.berth.cli.UserError;
import io.berth.cli.member.ClusterClient;
import io.berth.store.server.MemberIds;
import io.berth.store.tls.StoreTls;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The servers of any cluster, found through its store endpoints (MemberList: names and client
 * URLs), and reached by commands the operator gives, one per action, run with {@code sh -c}
 * after {@code {name}}, {@code {host}} and {@code {endpoint}} are replaced by the server's
 * member name, the host of its client URL and that URL's {@code host:port}; for example
 * {@code --on-kill 'ssh {host} sudo systemctl kill --signal=SIGKILL berth-server'}. Berth does
 * not guess how a fleet is run (systemd, containers, a cloud API): this is the seam where the
 * operator's own tooling goes. A command that fails or outlives its timeout fails the drill,
 * naming its flag; faults still in force are healed on the way out.
 */
final class RemoteControl implements ServerControl {
  /** Each action's flag. */
  static final Map<String, String> FLAGS = orderedFlags();

  private final List<String> endpoints;
  private final Map<String, String> commands;
  private final Duration timeout;
  private final PrintStream out;
  private final List<DrillServer> servers;
  private final Set<DrillServer> paused = new HashSet<>();
  private final Set<DrillServer> partitioned = new HashSet<>();

  /** @param commands the operator's command per action ("kill", "start", ...); absent ones are not available */
  RemoteControl(List<String> endpoints, StoreTls tls, Map<String, String> commands, Duration timeout,
      PrintStream out) {
    this.endpoints = endpoints;
    this.commands = Map.copyOf(commands);
    this.timeout = timeout;
    this.out = out;
    this.servers = members(endpoints, tls);
  }

  private static Map<String, String> orderedFlags() {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String action : List.of("kill", "stop", "start", "pause", "resume", "partition", "heal")) {
      flags.put(action, "--on-" + action);
    }
    return java.util.Collections.unmodifiableMap(flags);
  }

  /** Fails, before anything is done, when a command the drill needs was not given. */
  void require(String drill, String... actions) {
    List<String> missing = new ArrayList<>();
    for (String action : actions) {
      if (!commands.containsKey(action)) {
        missing.add(FLAGS.get(action));
      }
    }
    if (!missing.isEmpty()) {
      throw new UserError("drill " + drill + " with --endpoints needs " + String.join(" and ", missing)
          + ": the command that does it to a server, e.g. --on-kill 'ssh {host} sudo systemctl kill "
          + "--signal=SIGKILL berth-server'");
    }
  }

  @Override
  public String where() {
    return String.join(",", endpoints);
  }

  @Override
  public List<DrillServer> servers() {
    return servers;
  }

  @Override
  public void kill(DrillServer server) throws Exception {
    run("kill", server);
  }

  @Override
  public void stop(DrillServer server) throws Exception {
    run("stop", server);
  }

  @Override
  public void start(DrillServer server) throws Exception {
    run("start", server);
  }

  @Override
  public void pause(DrillServer server) throws Exception {
    run("pause", server);
    paused.add(server);
  }

  @Override
  public void resume(DrillServer server) throws Exception {
    run("resume", server);
    paused.remove(server);
  }

  @Override
  public void partition(DrillServer server) throws Exception {
    partitioned.add(server);     // healed on close even if the command failed half-way
    run("partition", server);
  }

  @Override
  public void heal(DrillServer server) throws Exception {
    run("heal", server);
    partitioned.remove(server);
  }

  @Override
  public String describe(String action, DrillServer server) {
    return FLAGS.get(action) + " for " + server.name() + ": " + command(action, server);
  }

  @Override
  public void close() {
    for (DrillServer server : List.copyOf(paused)) {
      try {
        resume(server);
      } catch (Exception e) {
        out.printf("  could not resume %s: %s%n", server.name(), e.getMessage());
      }
    }
    for (DrillServer server : List.copyOf(partitioned)) {
      try {
        heal(server);
      } catch (Exception e) {
        out.printf("  could not heal %s: %s%n", server.name(), e.getMessage());
      }
    }
  }

  String command(String action, DrillServer server) {
    String template = commands.get(action);
    if (template == null) {
      throw new UserError(FLAGS.get(action) + " was not given");
    }
    return template.replace("{name}", server.name()).replace("{host}", server.host())
        .replace("{endpoint}", server.clientEndpoint());
  }

  private void run(String action, DrillServer server) throws IOException, InterruptedException {
    String command = command(action, server);
    Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      process.destroyForcibly();
      throw new UserError(FLAGS.get(action) + " for " + server.name() + " did not finish within " + timeout
          + " (--command-timeout): " + command);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!output.isEmpty()) {
      output.lines().forEach(line -> out.printf("    | %s%n", line));
    }
    if (process.exitValue() != 0) {
      throw new UserError(FLAGS.get(action) + " for " + server.name() + " exited " + process.exitValue() + ": "
          + command);
    }
  }

  /** The started members, by the first endpoint that answers MemberList (the member commands' client). */
  private static List<DrillServer> members(List<String> endpoints, StoreTls tls) {
    try (ClusterClient cluster = ClusterClient.connect(endpoints, tls)) {
      return cluster.list().stream().filter(m -> !m.getName().isEmpty() && m.getClientURLsCount() > 0)
          .map(m -> new DrillServer(m.getName(), MemberIds.hostPort(m.getClientURLs(0)))).toList();
    }
  }
}
