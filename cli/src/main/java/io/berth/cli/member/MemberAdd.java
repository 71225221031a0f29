package io.berth.cli.member;

import io.berth.cli.UserError;
import io.berth.cli.drill.DrillCommand;
import io.berth.cli.server.HostPort;
import io.berth.store.server.MemberIds;
import io.etcd.jetcd.api.Member;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth member add NAME}: MemberAdd, then the new member's server. On a local cluster
 * Berth starts that server itself ({@link LocalJoin}); for any other cluster it prints the exact
 * {@code berth server} command to run on the new machine, as {@code etcdctl member add} prints
 * the ETCD_INITIAL_CLUSTER settings.
 */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = "Add a member: on a local cluster also start its server and wait until it has caught up; "
        + "elsewhere print the command that starts it.")
final class MemberAdd implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The new member's name.")
  String name;

  @Mixin
  ClusterTarget target;

  @Option(names = "--peer-urls", paramLabel = "URL",
      description = "With --endpoints: the new member's Raft peer URL, e.g. http://10.0.0.4:2380 (with --dir "
          + "free ports on 127.0.0.1 are picked).")
  String peerUrl;

  @Option(names = "--cluster-token", defaultValue = "berth",
      description = "With --endpoints: the cluster's --cluster-token, checked against the cluster and put into the "
          + "printed command (default: ${DEFAULT-VALUE}).")
  String clusterToken;

  @Option(names = "--catch-up-timeout", defaultValue = "120s", paramLabel = "DURATION",
      converter = DrillCommand.DurationConverter.class,
      description = "With --dir: how long the new server may take to join and catch up with the leader "
          + "(default: ${DEFAULT-VALUE}).")
  Duration catchUpTimeout;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (target.local()) {
      if (peerUrl != null) {
        throw new UserError("--peer-urls goes with --endpoints; with --dir the new server gets free ports on 127.0.0.1");
      }
      return new LocalJoin(target.dir(), target.tls(), catchUpTimeout, out).add(name);
    }
    if (peerUrl == null) {
      throw new UserError("--peer-urls is required with --endpoints: the new member's Raft peer URL, "
          + "e.g. --peer-urls http://10.0.0.4:2380");
    }
    String peerAddress = peerAddress(peerUrl);
    try (ClusterClient client = ClusterClient.connect(target.endpoints(), target.tls())) {
      if (client.clusterId() != MemberIds.clusterId(clusterToken)) {
        throw new UserError("--cluster-token " + clusterToken + " is not this cluster's token (cluster ID "
            + Long.toHexString(client.clusterId()) + "); give the token its servers were started with");
      }
      List<Member> before = client.list();
      MemberSelection.checkNewName(name, before);
      Member added = client.add("http://" + peerAddress);
      out.printf("added member %s (ID %s) with peer URL http://%s to cluster %s%n", name,
          MemberSelection.hex(added.getID()), peerAddress, Long.toHexString(client.clusterId()));
      out.println("start it on the new machine, with a new and empty data dir, and check 'berth member list':");
      out.println();
      out.println("  " + String.join(" \\\n    ", startCommand(before, added, peerAddress)));
      out.println();
      return 0;
    }
  }

  /** The new member's 'berth server' command, one flag group per line. */
  private List<String> startCommand(List<Member> before, Member added, String peerAddress) {
    List<String> peers = new ArrayList<>();
    for (Member m : before) {
      if (m.getID() != added.getID() && m.getPeerURLsCount() > 0) {
        // An unstarted member has no name yet: its ID stands in (names only label members).
        String memberName = m.getName().isEmpty() ? MemberSelection.hex(m.getID()) : m.getName();
        peers.add(memberName + "=" + MemberIds.hostPort(m.getPeerURLs(0)));
      }
    }
    peers.add(name + "=" + peerAddress);
    String host = HostPort.parse("--peer-urls", peerAddress).host();
    List<String> lines = new ArrayList<>(List.of(
        "bin/berth server --name " + name + " --join --data-dir /var/lib/berth",
        "--peers " + String.join(",", peers),
        "--cluster-token " + clusterToken,
        "--client-listen " + host + ":2379 --api-listen " + host + ":6443 --metrics-listen " + host + ":9379"));
    if (target.caFile != null) {
      lines.add("--tls-cert-file pki/server-" + name + ".crt --tls-private-key-file pki/server-" + name + ".key "
          + "--client-ca-file pki/ca.crt");
      lines.add("--service-account-key-file pki/sa.pub --service-account-signing-key-file pki/sa.key");
    }
    return lines;
  }

  /** "http://host:port" or "host:port" to "host:port", checked; one URL only (Berth members have one). */
  static String peerAddress(String url) {
    if (url.contains(",")) {
      throw new UserError("--peer-urls takes one URL: a Berth member has a single peer address, got '" + url + "'");
    }
    String trimmed = url.trim();
    if (trimmed.contains("://") && !trimmed.startsWith("http://") && !trimmed.startsWith("https://")) {
      throw new UserError("--peer-urls must be http://HOST:PORT or https://HOST:PORT, got '" + url + "'");
    }
    String address = MemberIds.hostPort(trimmed);
    HostPort hostPort = HostPort.parse("--peer-urls", address);
    if (hostPort.port() == 0) {
      throw new UserError("--peer-urls needs a port other than 0, got '" + url + "'");
    }
    return address;
  }
}
