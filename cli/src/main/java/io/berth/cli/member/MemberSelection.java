package io.berth.cli.member;

import io.berth.cli.UserError;
import io.berth.store.server.MemberIds;
import io.etcd.jetcd.api.Member;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Which member an operator means by NAME or hex ID, and which names a new member may take. */
final class MemberSelection {
  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private MemberSelection() {}

  /**
   * The member named {@code nameOrId}, or with that hex ID (as {@code member list} prints it).
   * {@code localPeerAddresses} maps the names a local cluster's cluster.json gives its servers
   * to their peer addresses, so that a member added but not started (it has no name yet) is
   * found by name too: its ID is the fresh one MemberAdd gave it, but its peer URL is known.
   */
  static Member find(List<Member> members, String nameOrId, Map<String, String> localPeerAddresses) {
    for (Member m : members) {
      if (!m.getName().isEmpty() && m.getName().equals(nameOrId)) {
        return m;
      }
    }
    String localAddress = localPeerAddresses.get(nameOrId);
    for (Member m : members) {
      if ((localAddress != null && hasPeerAddress(m, localAddress)) || hex(m.getID()).equalsIgnoreCase(nameOrId)) {
        return m;
      }
    }
    throw new UserError("no member named or with ID '" + nameOrId + "'; the members are " + describe(members));
  }

  static boolean hasPeerAddress(Member member, String address) {
    return member.getPeerURLsList().stream().anyMatch(url -> MemberIds.hostPort(url).equals(address));
  }

  /** Refuses to remove the only member: nothing would be left to hold the data. */
  static void checkRemovable(List<Member> members, Member removed) {
    if (members.size() <= 1) {
      throw new UserError("refusing to remove " + label(removed) + ": it is the last member of the cluster");
    }
  }

  /** A new member's name: unique, and usable in 'berth server --peers NAME=HOST:PORT'. */
  static void checkNewName(String name, List<Member> members) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new UserError("NAME '" + name + "' is not a member name: use up to 63 letters, digits, '.', '_' and '-', "
          + "starting with a letter or digit");
    }
    if (members.stream().anyMatch(m -> m.getName().equals(name))) {
      throw new UserError("there is already a member named " + name + "; the members are " + describe(members));
    }
  }

  static String hex(long id) {
    return Long.toHexString(id);
  }

  static String label(Member m) {
    return (m.getName().isEmpty() ? "unstarted member" : m.getName()) + " (" + hex(m.getID()) + ")";
  }

  static String describe(List<Member> members) {
    return members.stream().map(MemberSelection::label).collect(Collectors.joining(", "));
  }
}
