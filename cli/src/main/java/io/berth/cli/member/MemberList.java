package io.berth.cli.member;

import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.StatusResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code berth member list}: the members as {@code etcdctl member list -w table} shows them, with
 * each started member's Raft term and applied index from its own Maintenance.Status (so a member
 * that lags or cannot be reached shows here) and which one leads.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the members: ID, name, started or not, peer and client URLs, leader, Raft term and applied index.")
final class MemberList implements Callable<Integer> {
  @Mixin
  ClusterTarget target;

  @Override
  public Integer call() throws Exception {
    try (ClusterClient client = ClusterClient.connect(target.endpoints(), target.tls())) {
      List<Member> members = client.list();
      Table table = new Table("ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEADER", "RAFT TERM",
          "RAFT APPLIED INDEX");
      long leader = 0;
      StatusResponse[] statuses = new StatusResponse[members.size()];
      for (int i = 0; i < members.size(); i++) {
        String endpoint = ClusterClient.clientEndpoint(members.get(i));
        Optional<StatusResponse> status = endpoint == null ? Optional.empty() : client.status(endpoint);
        statuses[i] = status.orElse(null);
        if (leader == 0 && status.isPresent()) {
          leader = status.get().getLeader();
        }
      }
      for (int i = 0; i < members.size(); i++) {
        Member m = members.get(i);
        StatusResponse s = statuses[i];
        boolean started = !m.getName().isEmpty();
        String unknown = started ? "unreachable" : "";
        table.row(MemberSelection.hex(m.getID()), started ? "started" : "unstarted", m.getName(),
            String.join(",", m.getPeerURLsList()), String.join(",", m.getClientURLsList()),
            leader == 0 ? "" : Boolean.toString(m.getID() == leader),
            s == null ? unknown : Long.toString(s.getRaftTerm()),
            s == null ? unknown : Long.toString(s.getRaftAppliedIndex()));
      }
      table.print(System.out);
      return 0;
    }
  }
}
