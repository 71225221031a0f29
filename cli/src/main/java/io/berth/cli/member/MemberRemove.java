package io.berth.cli.member;

import io.berth.cli.local.ClientFiles;
import io.berth.cli.local.ClusterFile;
import io.berth.cli.local.LocalProcess;
import io.berth.cli.local.ServerProcesses;
import io.etcd.jetcd.api.Member;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code berth member remove NAME|ID}: MemberRemove through another member (the store moves
 * leadership off a leaving leader first). On a local cluster the removed server is then
 * stopped, its data deleted (a removed member's data can never rejoin) and it leaves
 * cluster.json and the files that list the servers; its log stays.
 */
@Command(name = "remove", mixinStandardHelpOptions = true,
    description = "Remove a member; on a local cluster also stop its server and forget it.")
final class MemberRemove implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MEMBER", description = "The member's name or hex ID (as 'berth member list' shows).")
  String nameOrId;

  @Mixin
  ClusterTarget target;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    ClusterFile cluster = target.local() ? target.cluster() : null;
    List<String> endpoints = target.endpoints();
    Member member;
    List<Member> left;
    try (ClusterClient client = ClusterClient.connect(endpoints, target.tls())) {
      List<Member> members = client.list();
      member = MemberSelection.find(members, nameOrId, localPeerAddresses(cluster));
      MemberSelection.checkRemovable(members, member);
    }
    // Ask another member: the one leaving may be the leader, or stop answering once removed.
    String own = ClusterClient.clientEndpoint(member);
    List<String> others = endpoints.stream().filter(e -> !e.equals(own)).toList();
    out.printf("removing %s ...%n", MemberSelection.label(member));
    try (ClusterClient client = ClusterClient.connect(others.isEmpty() ? endpoints : others, target.tls())) {
      left = client.remove(member.getID());
    }
    out.printf("removed %s; %d members left: %s%n", MemberSelection.label(member), left.size(),
        MemberSelection.describe(left));
    if (cluster != null) {
      forgetLocalServer(cluster, member);
    }
    return 0;
  }

  /** The local cluster's server names with their peer addresses. */
  static Map<String, String> localPeerAddresses(ClusterFile cluster) {
    Map<String, String> addresses = new HashMap<>();
    if (cluster != null) {
      cluster.withRole(ServerProcesses.ROLE).forEach(s -> addresses.put(s.name, ServerProcesses.peerAddress(s)));
    }
    return addresses;
  }

  private void forgetLocalServer(ClusterFile cluster, Member member) throws IOException {
    Path dir = target.dir();
    ClusterFile.ProcessEntry server = cluster.withRole(ServerProcesses.ROLE).stream()
        .filter(s -> MemberSelection.hasPeerAddress(member, ServerProcesses.peerAddress(s)))
        .findFirst().orElse(null);
    if (server == null) {
      out.printf("note: %s is not a server of %s; nothing to stop there%n", MemberSelection.label(member), dir);
      return;
    }
    boolean wasRunning = LocalProcess.stop(server.pid, ServerProcesses.marker(server), Duration.ofSeconds(15));
    out.printf("  %-10s %s%n", server.name, wasRunning ? "stopped (pid " + server.pid + ")" : "was not running");
    cluster.processes.remove(server);
    cluster.write(dir);
    ClientFiles.write(dir, cluster);
    deleteRecursively(Path.of(server.dataDir));
    out.printf("  %-10s removed from %s with its data (%s); its log stays in %s%n", server.name, ClusterFile.NAME,
        server.dataDir, server.log);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
