package io.berth.cli.member;

import io.berth.cli.UserError;
import io.berth.cli.local.ClientFiles;
import io.berth.cli.local.ClusterFile;
import io.berth.cli.local.LocalProcess;
import io.berth.cli.local.ServerProcesses;
import io.berth.cli.local.StatusCommand;
import io.berth.cli.local.UpCommand;
import io.berth.store.tls.StoreTls;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.StatusResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A new server for a local cluster: free ports as {@code berth up} picks them, MemberAdd, the
 * server started as {@code berth up} starts one but with {@code --join}, recorded in cluster.json
 * (so {@code up} restarts it and {@code down} stops it) and in the files that list the servers,
 * then watched until it has joined, caught up with the leader and serves the Kubernetes API.
 */
final class LocalJoin {
  /** Entries a caught-up member may trail the leader by: a write load keeps the leader moving. */
  static final long MAX_LAG = 20;

  private final Path dir;
  private final StoreTls tls;
  private final Duration timeout;
  private final PrintStream out;

  LocalJoin(Path dir, StoreTls tls, Duration timeout, PrintStream out) {
    this.dir = dir;
    this.tls = tls;
    this.timeout = timeout;
    this.out = out;
  }

  int add(String name) throws IOException, InterruptedException {
    ClusterFile cluster = ClusterFile.read(dir);
    if (cluster.processes.stream().anyMatch(p -> p.name.equals(name))) {
      throw new UserError("there is already a process named " + name + " in " + dir.resolve(ClusterFile.NAME));
    }
    ClusterFile.ProcessEntry server = ServerProcesses.plan(dir, name);
    server.join = true;
    if (Files.exists(Path.of(server.dataDir))) {
      throw new UserError(server.dataDir + " already exists: a new member needs a new data dir; move it away first");
    }
    List<String> endpoints = StatusCommand.endpointsOf(dir);
    Member added;
    try (ClusterClient client = ClusterClient.connect(endpoints, tls)) {
      MemberSelection.checkNewName(name, client.list());
      added = client.add("http://" + ServerProcesses.peerAddress(server));
    }
    out.printf("added member %s (ID %s) with peer URL http://%s%n", name, MemberSelection.hex(added.getID()),
        ServerProcesses.peerAddress(server));

    List<ClusterFile.ProcessEntry> servers = cluster.withRole(ServerProcesses.ROLE);
    cluster.processes.add(cluster.processes.indexOf(servers.getLast()) + 1, server);
    UpCommand.issueCertificates(cluster);
    cluster.write(dir);
    ClientFiles.write(dir, cluster);
    server.pid = LocalProcess.start(ServerProcesses.args(cluster, server), Path.of(server.log));
    cluster.write(dir);
    out.printf("  %-10s started with --join (pid %d), log %s%n", name, server.pid, server.log);

    long start = System.nanoTime();
    try {
      awaitCaughtUp(cluster, server, added.getID(), endpoints, start);
      awaitApi(cluster, server, start);
    } catch (UserError e) {
      throw new UserError(e.getMessage() + "; it stays a member: 'berth member remove " + name + " --dir " + dir
          + "' takes it out again");
    }
    out.printf("%s joined and caught up in %.1f s; %d servers in %s ('berth member list --dir %s' shows them)%n",
        name, seconds(start), servers.size() + 1, dir, dir);
    return 0;
  }

  /**
   * Until the new member knows the leader, the others list it as started (it has published its
   * name through the log) and it has applied all but {@link #MAX_LAG} of the leader's entries.
   */
  private void awaitCaughtUp(ClusterFile cluster, ClusterFile.ProcessEntry server, long id, List<String> endpoints,
      long start) throws InterruptedException {
    long deadline = start + timeout.toNanos();
    long nextReport = start;
    while (true) {
      checkAlive(server);
      Optional<StatusResponse> leader = leaderStatus(endpoints);
      Optional<StatusResponse> own = ClusterClient.status(ServerProcesses.clientEndpoint(server), tls);
      boolean started = isStarted(endpoints, id);
      long leaderApplied = leader.map(StatusResponse::getRaftAppliedIndex).orElse(-1L);
      long applied = own.map(StatusResponse::getRaftAppliedIndex).orElse(-1L);
      boolean knowsLeader = own.isPresent() && own.get().getLeader() != 0;
      if (knowsLeader && started && leaderApplied >= 0 && leaderApplied - applied <= MAX_LAG) {
        out.printf("  %-10s caught up after %.1f s: applied index %d, the leader's %d%n", server.name, seconds(start),
            applied, leaderApplied);
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new UserError(server.name + " has not caught up within " + timeout.toSeconds() + " s (applied index "
            + applied + ", the leader's " + leaderApplied + "); see " + server.log);
      }
      if (System.nanoTime() >= nextReport) {
        out.printf("  %-10s %s%n", server.name, !knowsLeader || !started
            ? "joining (waiting for the leader to replicate to it) ..."
            : "catching up: applied index " + applied + " of the leader's " + leaderApplied + " ...");
        nextReport = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      }
      Thread.sleep(200);
    }
  }

  /** Until its Kubernetes API answers, as {@code berth up} waits for every server. */
  private void awaitApi(ClusterFile cluster, ClusterFile.ProcessEntry server, long start) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ServerProcesses.isReady(cluster, server)) {
      checkAlive(server);
      if (System.nanoTime() > deadline) {
        throw new UserError(server.name + "'s Kubernetes API is not ready within " + timeout.toSeconds() + " s; see "
            + server.log);
      }
      Thread.sleep(200);
    }
    out.printf("  %-10s serves the Kubernetes API at %s after %.1f s%n", server.name,
        (cluster.pki == null ? "http" : "https") + "://127.0.0.1:" + server.port("api"), seconds(start));
  }

  private static void checkAlive(ClusterFile.ProcessEntry server) {
    if (!LocalProcess.isAlive(server.pid, ServerProcesses.marker(server))) {
      throw new UserError(server.name + " exited while joining; see " + server.log);
    }
  }

  private boolean isStarted(List<String> endpoints, long id) {
    try (ClusterClient client = ClusterClient.connect(endpoints, tls)) {
      return client.list().stream().anyMatch(m -> m.getID() == id && !m.getName().isEmpty());
    } catch (UserError e) {
      return false;
    }
  }

  /** The leader's own status, asked of the existing members. */
  private Optional<StatusResponse> leaderStatus(List<String> endpoints) {
    for (String endpoint : endpoints) {
      Optional<StatusResponse> status = ClusterClient.status(endpoint, tls);
      if (status.isPresent() && status.get().getLeader() != 0
          && status.get().getLeader() == status.get().getHeader().getMemberId()) {
        return status;
      }
    }
    return Optional.empty();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
