package io.berth.cli.drill;

import io.berth.cli.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cuts one local server off from its Raft peers, both ways, while its client port stays
 * reachable, and heals that again. Every server of a local cluster shares 127.0.0.1, so
 * addresses cannot tell them apart; ports and process identity can:
 *
 * <ul>
 *   <li>packets to or from the target's peer port are dropped: the others' connections to it,
 *       old and new, in both directions;
 *   <li>the target is moved into a cgroup of its own, and its packets to the others' peer ports
 *       are dropped by iptables' cgroup match: its new connections to them;
 *   <li>a socket keeps the cgroup it was created in, so the target's connections to the others
 *       that already exist are dropped by their ports (its local port and the peer port, both
 *       directions), read from /proc after the move (a connection made in between is in both sets).
 * </ul>
 *
 * All rules live in a chain of their own, BERTH-DRILL-PID, jumped to first from OUTPUT and
 * matching only the loopback interface: on loopback every packet, either way, passes OUTPUT, so
 * nothing is needed in INPUT. Other traffic, the client and API ports included, is untouched; the
 * target's connections to its own peer port are cut too, which changes nothing, as alone it cannot
 * commit. Healing deletes the chain, moves the target back to its cgroup and removes the new one.
 * A shutdown hook heals too, so that Ctrl-C never leaves a server cut off.
 */
final class NetworkPartition implements AutoCloseable {
  private final String chain;
  private final Path cgroup;
  private final Path originalCgroup;
  private final long pid;
  private final PrintStream out;
  private final AtomicBoolean healed = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::heal, "berth-drill-heal-partition");

  private NetworkPartition(String chain, Path cgroup, Path originalCgroup, long pid, PrintStream out) {
    this.chain = chain;
    this.cgroup = cgroup;
    this.originalCgroup = originalCgroup;
    this.pid = pid;
    this.out = out;
  }

  /** Fails with a message naming what is missing when a partition cannot be made here. */
  static void checkAvailable() {
    Iptables.checkAvailable();
    Cgroup2.find();
  }

  /**
   * Cuts process {@code pid}, whose Raft peer port is {@code ownPeerPort}, off from the servers at
   * {@code otherPeerPorts}.
   */
  static NetworkPartition cut(long pid, int ownPeerPort, List<Integer> otherPeerPorts, PrintStream out)
      throws IOException {
    Cgroup2 hierarchy = Cgroup2.find();
    long self = ProcessHandle.current().pid();
    String name = "berth-drill-" + self;
    Path original = hierarchy.of(pid).orElseThrow(() -> new UserError("process " + pid + " is not running"));
    NetworkPartition partition = new NetworkPartition("BERTH-DRILL-" + self, hierarchy.create(name), original, pid, out);
    Runtime.getRuntime().addShutdownHook(partition.shutdownHook);
    try {
      Cgroup2.move(pid, partition.cgroup);
      Iptables.must("-N", partition.chain);
      Iptables.must("-I", "OUTPUT", "1", "-o", "lo", "-j", partition.chain);
      List<List<String>> rules = new ArrayList<>();
      rules.add(List.of("-p", "tcp", "--dport", Integer.toString(ownPeerPort)));
      rules.add(List.of("-p", "tcp", "--sport", Integer.toString(ownPeerPort)));
      for (int peer : otherPeerPorts) {
        rules.add(List.of("-p", "tcp", "--dport", Integer.toString(peer), "-m", "cgroup", "--path", name));
      }
      int existing = 0;
      for (TcpConnections.Connection c : TcpConnections.of(pid)) {
        if (otherPeerPorts.contains(c.remotePort())) {
          existing++;
          String local = Integer.toString(c.localPort());
          String remote = Integer.toString(c.remotePort());
          rules.add(List.of("-p", "tcp", "--sport", local, "--dport", remote));
          rules.add(List.of("-p", "tcp", "--sport", remote, "--dport", local));
        }
      }
      for (List<String> rule : rules) {
        List<String> args = new ArrayList<>(List.of("-A", partition.chain, "-o", "lo"));
        args.addAll(rule);
        args.addAll(List.of("-j", "DROP"));
        Iptables.must(args.toArray(String[]::new));
      }
      out.printf("  partition: pid %d in cgroup %s; %d DROP rules in iptables chain %s (peer port %d, peers %s, "
          + "%d existing connections to them)%n", pid, name, rules.size(), partition.chain, ownPeerPort, otherPeerPorts,
          existing);
      return partition;
    } catch (RuntimeException | IOException e) {
      partition.heal();
      throw e;
    }
  }

  /** Removes the rules and the cgroup; safe to call more than once, and from the shutdown hook. */
  void heal() {
    if (!healed.compareAndSet(false, true)) {
      return;
    }
    List<String> problems = new ArrayList<>();
    while (Iptables.tryRun("-D", "OUTPUT", "-o", "lo", "-j", chain)) {
      // a jump is removed per call; there is one unless something went wrong half way
    }
    if (Iptables.tryRun("-S", chain)) {
      if (!Iptables.tryRun("-F", chain) || !Iptables.tryRun("-X", chain)) {
        problems.add("iptables chain " + chain + " could not be deleted (iptables -F " + chain + "; iptables -X " + chain + ")");
      }
    }
    if (ProcessHandle.of(pid).isPresent()) {
      try {
        Cgroup2.move(pid, originalCgroup);
      } catch (UserError e) {
        problems.add(e.getMessage());
      }
    }
    if (!removeCgroup()) {
      problems.add("the cgroup " + cgroup + " could not be removed (rmdir it once empty)");
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // shutting down: this is the hook
    }
    if (problems.isEmpty()) {
      out.printf("  partition healed: chain %s and cgroup %s removed, pid %d back in %s%n", chain, cgroup.getFileName(),
          pid, originalCgroup);
    } else {
      out.println("  partition NOT fully healed: " + String.join("; ", problems));
    }
  }

  /** The cgroup empties a moment after its last process left it. */
  private boolean removeCgroup() {
    for (int attempt = 0; attempt < 50; attempt++) {
      if (Cgroup2.remove(cgroup)) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Override
  public void close() {
    heal();
  }
}
