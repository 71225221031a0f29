package io.berth.cli.local;

import io.berth.cli.UserError;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.berth.store.tls.StoreTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth status}: members, leader, term, indexes and health of each store replica. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show each replica's role, Raft term and indexes, revision and health.")
public final class StatusCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--dir", description = "A local cluster's directory (as given to 'berth up').")
    Path dir;

    @Option(names = "--endpoints", split = ",", paramLabel = "HOST:PORT",
        description = "Store client endpoints of any cluster, comma-separated.")
    List<String> endpoints;
  }

  @Override
  public Integer call() throws Exception {
    List<String> endpoints = target.endpoints != null ? target.endpoints : endpointsOf(target.dir);
    StoreTls tls = target.dir == null ? null : storeTlsOf(target.dir);
    Map<Long, String> names = new HashMap<>();
    Map<String, String> namesByEndpoint = target.dir == null ? Map.of() : namesByEndpoint(target.dir);
    List<Row> rows = new ArrayList<>();
    for (String endpoint : endpoints) {
      ManagedChannel channel = StoreTls.channel(endpoint.trim(), tls);
      try {
        StatusResponse status = MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
            .status(StatusRequest.getDefaultInstance());
        if (names.isEmpty()) {
          for (Member m : ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
              .memberList(MemberListRequest.getDefaultInstance()).getMembersList()) {
            names.put(m.getID(), m.getName());
          }
        }
        rows.add(new Row(endpoint, status, null));
      } catch (StatusRuntimeException e) {
        rows.add(new Row(endpoint, null, e.getStatus().getCode() + ": " + e.getStatus().getDescription()));
      } finally {
        channel.shutdownNow();
      }
    }
    System.out.printf("%-10s %-22s %-17s %-7s %-6s %-8s %-8s %-9s %s%n",
        "NAME", "ENDPOINT", "MEMBER ID", "LEADER", "TERM", "COMMIT", "APPLIED", "REVISION", "HEALTH");
    boolean allHealthy = true;
    for (Row row : rows) {
      if (row.status == null) {
        allHealthy = false;
        System.out.printf("%-10s %-22s %-17s %-7s %-6s %-8s %-8s %-9s unreachable (%s)%n",
            namesByEndpoint.getOrDefault(row.endpoint, "?"), row.endpoint, "?", "?", "?", "?", "?", "?", row.error);
        continue;
      }
      StatusResponse s = row.status;
      long id = s.getHeader().getMemberId();
      boolean healthy = s.getLeader() != 0 && s.getErrorsCount() == 0;
      allHealthy &= healthy;
      System.out.printf("%-10s %-22s %-17s %-7s %-6d %-8d %-8d %-9d %s%n",
          names.getOrDefault(id, "?"), row.endpoint, Long.toHexString(id), s.getLeader() == id ? "*" : "",
          s.getRaftTerm(), s.getRaftIndex(), s.getRaftAppliedIndex(), s.getHeader().getRevision(),
          healthy ? "healthy" : s.getLeader() == 0 ? "no leader" : String.join("; ", s.getErrorsList()));
    }
    if (target.dir != null) {
      allHealthy &= printAgents(target.dir);
      allHealthy &= printIngresses(target.dir);
    }
    return allHealthy ? 0 : 1;
  }

  /** The local cluster's node agents and whether each heartbeats (its /healthz); true if all do. */
  private static boolean printAgents(Path dir) throws java.io.IOException {
    ClusterFile cluster = ClusterFile.readIfExists(dir.toAbsolutePath());
    if (cluster == null || cluster.withRole(AgentProcesses.ROLE).isEmpty()) {
      return true;
    }
    boolean healthy = true;
    System.out.println();
    System.out.printf("%-10s %-14s %-8s %-8s %s%n", "AGENT", "NODE ADDRESS", "RUNTIME", "PID", "HEALTH");
    for (ClusterFile.ProcessEntry p : cluster.withRole(AgentProcesses.ROLE)) {
      boolean ok = LocalProcess.httpOk(p.port("metrics"), "/healthz");
      healthy &= ok;
      System.out.printf("%-10s %-14s %-8s %-8d %s%n", p.name, p.address, p.runtime, p.pid,
          ok ? "healthy" : LocalProcess.isAlive(p.pid, ServerProcesses.marker(p)) ? "not heartbeating" : "not running");
    }
    return healthy;

  }

  /** The local cluster's ingress processes and whether they are ready (their /readyz). */
  private static boolean printIngresses(Path dir) throws java.io.IOException {
    ClusterFile cluster = ClusterFile.readIfExists(dir.toAbsolutePath());
    boolean ready = true;
    if (cluster == null || cluster.withRole(IngressProcesses.ROLE).isEmpty()) {
      return true;
    }
    System.out.printf("%n%-10s %-22s %-22s %s%n", "INGRESS", "HTTP", "HTTPS", "HEALTH");
    for (ClusterFile.ProcessEntry p : cluster.withRole(IngressProcesses.ROLE)) {
      boolean ok = LocalProcess.httpOk(p.port("metrics"), "/readyz");
      ready &= ok;
      System.out.printf("%-10s %-22s %-22s %s%n", p.name, "127.0.0.1:" + p.port("http"),
          "127.0.0.1:" + p.port("https"), ok ? "ready" : "not ready or not running");
    }
    return ready;
  }

  private static Map<String, String> namesByEndpoint(Path dir) throws java.io.IOException {
    ClusterFile cluster = ClusterFile.readIfExists(dir.toAbsolutePath());
    Map<String, String> names = new HashMap<>();
    if (cluster != null) {
      cluster.withRole(ServerProcesses.ROLE).forEach(p -> names.put("127.0.0.1:" + p.port("client"), p.name));
    }
    return names;
  }

  private record Row(String endpoint, StatusResponse status, String error) {}

  /**
   * The admin certificate a local cluster made with {@code berth up --tls} is reached with
   * (DIR/pki), or null for a plaintext one.
   */
  public static StoreTls storeTlsOf(Path dir) throws java.io.IOException {
    ClusterFile cluster = ClusterFile.readIfExists(dir.toAbsolutePath());
    if (cluster == null || cluster.pki == null) {
      return null;
    }
    io.berth.client.tls.TlsFiles admin = io.berth.client.tls.TlsFiles.inPki(Path.of(cluster.pki),
        io.berth.cli.certs.ClusterPki.ADMIN_FILE);
    return new StoreTls(admin.certFile(), admin.keyFile(), admin.caFile());
  }

  /** The store client endpoints of the local cluster in {@code dir}. */
  public static List<String> endpointsOf(Path dir) throws java.io.IOException {
    Path file = dir.toAbsolutePath().resolve("etcd-endpoints");
    if (!Files.exists(file)) {
      throw new UserError("no cluster at " + dir + " (etcd-endpoints is missing); start one with 'berth up --dir " + dir + "'");
    }
    return Arrays.asList(Files.readString(file).trim().split(","));
  }

}
