package io.berth.cli.local;

import io.berth.apiserver.access.Kubeconfig;
import io.berth.cli.UserError;
import io.berth.cli.certs.ClusterPki;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth up}: a whole local cluster on this machine, each replica its own
 * process on 127.0.0.1 with free ports and its data under DIR. Run again on an
 * existing DIR, it starts whichever processes are not running, with their data
 * and ports, so a killed replica or a whole stopped cluster comes back.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start a local cluster (or the parts of it that are not running).")
public final class UpCommand implements Callable<Integer> {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  @Option(names = "--dir", required = true, description = "Directory holding the cluster's data, logs and cluster.json.")
  Path dir;

  @Option(names = "--replicas", defaultValue = "3", description = "Control-plane replicas for a new cluster (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--server-flag", paramLabel = "FLAG",
      description = "A flag of 'berth server' that every server of a new cluster gets, e.g. "
          + "--server-flag=--leader-election-ttl=3s (repeatable; kept in cluster.json for restarts).")
  List<String> serverFlags = new ArrayList<>();

  @Option(names = "--agents", defaultValue = "0",
      description = "Node agents to run (agent N on node address 127.0.1.N); more are added to an existing cluster.")
  int agents;

  @Option(names = "--runtime", defaultValue = "auto",
      description = "The agents' container runtime: docker, process, or auto (docker when an engine answers).")
  String runtime;

  @Option(names = "--tls", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "For a new cluster (on unless --no-tls): create certificates in DIR/pki (berth certs) and run "
          + "every listener of the servers with TLS, the API with client-certificate authentication, Node,RBAC "
          + "authorization, an audit log per server (DIR/logs/audit-NAME.log) and Secrets encrypted at rest "
          + "(DIR/pki/encryption.yaml); agents and the ingress use their own certificates and DIR/kubeconfig the "
          + "admin's. --no-tls: plaintext and open to anyone on this machine, for tests and benchmarks. Kept in "
          + "cluster.json for restarts.")
  boolean tls;

  @Option(names = "--detach", description = "Return once the cluster is ready instead of staying in the foreground.")
  boolean detach;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (replicas < 1 || replicas > 9) {
      throw new UserError("--replicas must be between 1 and 9, got " + replicas);
    }
    if (agents < 0 || agents > 254) {
      throw new UserError("--agents must be between 0 and 254, got " + agents);
    }
    if (!List.of("docker", "process", "auto").contains(runtime)) {
      throw new UserError("--runtime must be docker, process or auto, got '" + runtime + "'");
    }
    dir = dir.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    ClusterFile cluster = ClusterFile.readIfExists(dir);
    if (cluster == null) {
      cluster = plan(dir, replicas);
      cluster.serverFlags = new ArrayList<>(serverFlags);
      cluster.pki = tls ? dir.resolve("pki").toString() : null;
      checkServerFlags(cluster);
      cluster.write(dir);
      out.printf("new cluster in %s: %d server replicas%n", dir, replicas);
    } else if (cluster.withRole(ServerProcesses.ROLE).size() != replicas && replicas != 3) {
      out.printf("note: %s already holds a cluster of %d replicas; --replicas %d is ignored%n",
          dir, cluster.withRole(ServerProcesses.ROLE).size(), replicas);
    } else if (!serverFlags.isEmpty() && !serverFlags.equals(cluster.serverFlags)) {
      out.printf("note: %s already holds a cluster whose servers have flags %s; --server-flag is ignored%n",
          dir, cluster.serverFlags);
    }
    addApiPorts(cluster);
    addIngress(cluster);
    addAgents(cluster);
    issueCertificates(cluster);
    List<ClusterFile.ProcessEntry> started = startMissing(cluster, ServerProcesses.ROLE);
    awaitReady(cluster);
    started.addAll(startMissing(cluster, AgentProcesses.ROLE));
    awaitAgents(cluster);
    started.addAll(startIngress(cluster));
    ClientFiles.write(dir, cluster);
    printSummary(cluster, started);

    if (detach) {
      return 0;
    }
    ClusterFile running = cluster;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println();
      out.println("stopping the cluster ...");
      DownCommand.stopAll(dir, running, out);
    }, "berth-up-shutdown"));
    out.println("running in the foreground; Ctrl-C stops the cluster (use --detach to return instead)");
    while (true) {
      LocalProcess.sleep(1000);
    }
  }

  /** A new cluster of {@code count} servers laid out under {@code dir}, with free ports, not started. */
  public static ClusterFile plan(Path dir, int count) throws IOException {
    ClusterFile cluster = new ClusterFile();
    cluster.clusterToken = "berth-" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 1; i <= count; i++) {
      cluster.processes.add(ServerProcesses.plan(dir, ServerProcesses.name(i)));
    }
    return cluster;
  }

  /** A typo in --server-flag is reported here, naming the flag, rather than as servers that never come up. */
  private static void checkServerFlags(ClusterFile cluster) {
    try {
      new picocli.CommandLine(new io.berth.cli.server.ServerCommand())
          .parseArgs(ServerProcesses.args(cluster, cluster.processes.get(0)).stream().skip(1).toArray(String[]::new));
    } catch (picocli.CommandLine.ParameterException e) {
      throw new UserError("--server-flag " + cluster.serverFlags + ": " + e.getMessage());
    }
  }

  /** The certificates every process of a TLS cluster needs (existing ones are kept: berth certs' rules). */
  public static void issueCertificates(ClusterFile cluster) throws IOException {
    if (cluster.pki == null) {
      return;
    }
    ClusterPki pki = ClusterPki.open(Path.of(cluster.pki), line -> { });
    AtRestKeys.ensure(Path.of(cluster.pki));
    for (ClusterFile.ProcessEntry server : cluster.withRole(ServerProcesses.ROLE)) {
      pki.server(server.name, List.of());
    }
    for (ClusterFile.ProcessEntry agent : cluster.withRole(AgentProcesses.ROLE)) {
      pki.agent(agent.name, List.of(agent.address));
    }
    pki.ingress(List.of());
    pki.clients();
    pki.serviceAccountKey();
  }

  /** A cluster made before servers had a Kubernetes API gets an API port per server now. */
  private void addApiPorts(ClusterFile cluster) throws IOException {
    boolean added = false;
    for (ClusterFile.ProcessEntry p : cluster.withRole(ServerProcesses.ROLE)) {
      if (!p.ports.containsKey("api")) {
        p.ports.put("api", LocalProcess.freePort());
        added = true;
      }
    }
    if (added) {
      cluster.write(dir);
    }
  }

  /** Plans agents up to --agents (an existing cluster keeps the agents it has). */
  private void addAgents(ClusterFile cluster) throws IOException {
    int have = cluster.withRole(AgentProcesses.ROLE).size();
    for (int i = have + 1; i <= agents; i++) {
      cluster.processes.add(AgentProcesses.plan(dir, i, runtime));
    }
    if (agents > have) {
      cluster.write(dir);
    }
  }

  /** A cluster made before the ingress existed gets one now. */
  private void addIngress(ClusterFile cluster) throws IOException {
    if (cluster.withRole(IngressProcesses.ROLE).isEmpty()) {
      cluster.processes.add(IngressProcesses.plan(dir));
      cluster.write(dir);
    }
  }

  private void awaitAgents(ClusterFile cluster) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    for (ClusterFile.ProcessEntry p : cluster.withRole(AgentProcesses.ROLE)) {
      while (!LocalProcess.httpOk(p.port("metrics"), "/readyz")) {
        if (!LocalProcess.isAlive(p.pid, ServerProcesses.marker(p))) {
          throw new UserError(p.name + " exited during startup; see " + p.log);
        }
        if (System.nanoTime() > deadline) {
          throw new UserError(p.name + " not ready after " + READY_TIMEOUT.toSeconds() + " s; see " + p.log);
        }
        LocalProcess.sleep(100);
      }
      out.printf("  %-10s ready (node address %s)%n", p.name, p.address);
    }
  }

  /** Starts the ingress (once the API answers, so that it can list routes) and waits until it is ready. */
  private List<ClusterFile.ProcessEntry> startIngress(ClusterFile cluster) throws IOException {
    List<ClusterFile.ProcessEntry> started = new ArrayList<>();
    for (ClusterFile.ProcessEntry p : cluster.withRole(IngressProcesses.ROLE)) {
      if (LocalProcess.isAlive(p.pid, IngressProcesses.marker(p))) {
        out.printf("  %-10s already running (pid %d)%n", p.name, p.pid);
        continue;
      }
      for (var port : p.ports.entrySet()) {
        if (!LocalProcess.awaitPortFree(port.getValue(), Duration.ofSeconds(10))) {
          throw new UserError("port " + port.getValue() + " (" + port.getKey() + " of " + p.name
              + ") is in use by another process; stop it, or use another --dir");
        }
      }
      p.pid = LocalProcess.start(IngressProcesses.args(cluster, p), Path.of(p.log));
      cluster.write(dir);
      out.printf("  %-10s started (pid %d), log %s%n", p.name, p.pid, p.log);
      started.add(p);
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (!LocalProcess.httpOk(p.port("metrics"), "/readyz")) {
        if (!LocalProcess.isAlive(p.pid, IngressProcesses.marker(p))) {
          throw new UserError(p.name + " exited during startup; see " + p.log);
        }
        if (System.nanoTime() > deadline) {
          throw new UserError(p.name + " not ready after " + READY_TIMEOUT.toSeconds() + " s; see " + p.log);
        }
        LocalProcess.sleep(100);
      }
    }
    return started;
  }

  private List<ClusterFile.ProcessEntry> startMissing(ClusterFile cluster, String role) throws IOException {
    List<ClusterFile.ProcessEntry> toStart = new ArrayList<>();
    for (ClusterFile.ProcessEntry p : cluster.withRole(role)) {
      if (LocalProcess.isAlive(p.pid, ServerProcesses.marker(p))) {
        out.printf("  %-10s already running (pid %d)%n", p.name, p.pid);
        continue;
      }
      for (var port : p.ports.entrySet()) {
        // A process killed a moment ago may hold its ports a little longer.
        if (!LocalProcess.awaitPortFree(port.getValue(), Duration.ofSeconds(10))) {
          throw new UserError("port " + port.getValue() + " (" + port.getKey() + " of " + p.name
              + ") is in use by another process; stop it, or use another --dir");
        }
      }
      toStart.add(p);
    }
    for (ClusterFile.ProcessEntry p : toStart) {
      p.pid = LocalProcess.start(role.equals(AgentProcesses.ROLE) ? AgentProcesses.args(cluster, p)
          : ServerProcesses.args(cluster, p), Path.of(p.log));
      cluster.write(dir);
      out.printf("  %-10s started (pid %d), log %s%n", p.name, p.pid, p.log);
    }
    return toStart;
  }

  private void awaitReady(ClusterFile cluster) {
    long start = System.nanoTime();
    long deadline = start + READY_TIMEOUT.toNanos();
    List<ClusterFile.ProcessEntry> waiting = new ArrayList<>(cluster.withRole(ServerProcesses.ROLE));
    out.printf("waiting for %d replicas to elect a leader and serve the Kubernetes API ...%n", waiting.size());
    while (!waiting.isEmpty()) {
      for (var it = waiting.iterator(); it.hasNext(); ) {
        ClusterFile.ProcessEntry p = it.next();
        if (!LocalProcess.isAlive(p.pid, ServerProcesses.marker(p))) {
          throw new UserError(p.name + " exited during startup; see " + p.log);
        }
        if (ServerProcesses.isReady(cluster, p)) {
          out.printf("  %-10s ready after %.1f s%n", p.name, (System.nanoTime() - start) / 1e9);
          it.remove();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new UserError("replicas not ready after " + READY_TIMEOUT.toSeconds() + " s: "
            + waiting.stream().map(p -> p.name + " (log " + p.log + ")").toList());
      }
      if (!waiting.isEmpty()) {
        LocalProcess.sleep(100);
      }
    }
  }

  private void printSummary(ClusterFile cluster, List<ClusterFile.ProcessEntry> started) {
    out.println();
    out.printf("cluster ready in %s (%d started now)%n", dir, started.size());
    out.printf("%-10s %-8s %-8s %-22s %-22s %-28s %-22s%n", "NAME", "ROLE", "PID", "ETCD API", "PEER",
        "KUBERNETES API", "METRICS");
    for (ClusterFile.ProcessEntry p : cluster.withRole(ServerProcesses.ROLE)) {
      out.printf("%-10s %-8s %-8d %-22s %-22s %-28s %-22s%n", p.name, p.role, p.pid,
          "127.0.0.1:" + p.port("client"), "127.0.0.1:" + p.port("peer"), ServerProcesses.apiUrl(cluster, p),
          "http://127.0.0.1:" + p.port("metrics") + "/metrics");
    }
    for (ClusterFile.ProcessEntry p : cluster.withRole(AgentProcesses.ROLE)) {
      out.printf("%-10s %-8s %-8d node address %-13s agent port %-6d runtime %-8s metrics http://127.0.0.1:%d/metrics%n",
          p.name, p.role, p.pid, p.address, p.port("agent"), p.runtime, p.port("metrics"));
    }
    for (ClusterFile.ProcessEntry p : cluster.withRole(IngressProcesses.ROLE)) {
      out.printf("%-10s %-8s %-8d http://127.0.0.1:%d https://127.0.0.1:%d metrics http://127.0.0.1:%d/metrics%n",
          p.name, p.role, p.pid, p.port("http"), p.port("https"), p.port("metrics"));
    }
    out.println();
    out.printf("etcd endpoints: %s (also in %s)%n", ServerProcesses.clientEndpoints(cluster), dir.resolve("etcd-endpoints"));
    out.println("try:");
    String etcdTls = cluster.pki == null ? "" : " --cacert %1$s/ca.crt --cert %1$s/admin.crt --key %1$s/admin.key"
        .formatted(cluster.pki);
    out.printf("  etcdctl --endpoints=%s%s put hello world%n", ServerProcesses.clientEndpoints(cluster), etcdTls);
    out.printf("  kubectl --kubeconfig %s get namespaces%n", dir.resolve(Kubeconfig.NAME));
    out.printf("  bin/berth status --dir %s%n", dir);
    ClusterFile.ProcessEntry first = cluster.withRole(ServerProcesses.ROLE).get(0);
    if (cluster.pki == null) {
      out.printf("  open %s/ui/   (the dashboard; every replica serves it)%n", ServerProcesses.apiUrl(cluster, first));
    } else {
      out.printf("  open %s/ui/   (the dashboard; sign in with: kubectl --kubeconfig %s -n kube-system create token"
          + " berth-dashboard)%n", ServerProcesses.apiUrl(cluster, first), dir.resolve(Kubeconfig.NAME));
    }
    out.printf("  prometheus --config.file %s   (scrapes every process)%n", dir.resolve("prometheus.yml"));
    out.printf("  bin/berth down --dir %s%n", dir);
  }
}
