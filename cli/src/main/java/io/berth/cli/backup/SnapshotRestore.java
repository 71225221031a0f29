package io.berth.cli.backup;

import io.berth.cli.UserError;
import io.berth.cli.local.ClusterFile;
import io.berth.cli.local.UpCommand;
import io.berth.store.statemachine.Backups;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth snapshot restore FILE}: prepares a new cluster that starts from a saved
 * snapshot, with every key at its revision (so every Kubernetes object keeps its
 * resourceVersion). Two forms, as etcdctl's: {@code --dir NEWDIR} plans a local cluster
 * that {@code berth up --dir NEWDIR} starts; {@code --data-dir --name --peers} prepares one
 * member's data dir on a real machine (run it on each with the same FILE, then start each
 * with {@code berth server} and the same flags: a new cluster token is wise).
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Prepare a new cluster (or one member of it) that starts from a saved snapshot.")
final class SnapshotRestore implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "A snapshot saved by 'berth snapshot save'.")
  Path file;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @ArgGroup(exclusive = false)
    Local local;

    @ArgGroup(exclusive = false)
    Member member;
  }

  static final class Local {
    @Option(names = "--dir", required = true, description = "A new directory for a local cluster.")
    Path dir;

    @Option(names = "--replicas", defaultValue = "3", description = "Server replicas of the new cluster (default: ${DEFAULT-VALUE}).")
    int replicas;
  }

  static final class Member {
    @Option(names = "--data-dir", required = true, description = "The new member's data dir (must not exist or be empty).")
    Path dataDir;

    @Option(names = "--name", required = true, description = "The member's name; one of --peers.")
    String name;

    @Option(names = "--peers", required = true, split = ",", paramLabel = "NAME=HOST:PORT",
        description = "Every member of the new cluster, as 'berth server --peers' will be given them.")
    Map<String, String> peers = new LinkedHashMap<>();

    @Option(names = "--cluster-token", defaultValue = "berth",
        description = "The new cluster's token, for the start command this prints (default: ${DEFAULT-VALUE}).")
    String clusterToken;
  }

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new UserError("no snapshot file at " + file);
    }
    Backups.Contents contents;
    try {
      contents = Backups.check(file);
    } catch (IOException e) {
      throw new UserError(e.getMessage());
    }
    out.printf("%s: revision %d, %d keys, sha256 %s%n", file, contents.revision(), contents.keys(), contents.sha256());
    return target.local != null ? restoreLocal(target.local) : restoreMember(target.member);
  }

  private int restoreLocal(Local local) throws IOException {
    if (local.replicas < 1 || local.replicas > 9) {
      throw new UserError("--replicas must be between 1 and 9, got " + local.replicas);
    }
    Path dir = local.dir.toAbsolutePath().normalize();
    if (ClusterFile.readIfExists(dir) != null) {
      throw new UserError(dir + " already holds a cluster (--dir): a restore prepares a new one");
    }
    Files.createDirectories(dir);
    ClusterFile cluster = UpCommand.plan(dir, local.replicas);
    for (ClusterFile.ProcessEntry server : cluster.withRole(io.berth.cli.local.ServerProcesses.ROLE)) {
      Backups.seed(file, Path.of(server.dataDir));
      out.printf("  %-10s data dir %s seeded%n", server.name, server.dataDir);
    }
    cluster.write(dir);
    out.printf("restored into a new %d-replica cluster in %s; start it with:%n  berth up --dir %s%n",
        local.replicas, dir, dir);
    return 0;
  }

  private int restoreMember(Member member) throws IOException {
    if (!member.peers.containsKey(member.name)) {
      throw new UserError("--name " + member.name + " is not one of --peers " + member.peers.keySet());
    }
    try {
      long revision = Backups.seed(file, member.dataDir.toAbsolutePath());
      out.printf("restored revision %d into %s; start the member with:%n"
          + "  berth server --name %s --data-dir %s --peers %s --cluster-token %s ...%n", revision, member.dataDir,
          member.name, member.dataDir, String.join(",", member.peers.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue()).toList()), member.clusterToken);
    } catch (IOException e) {
      throw new UserError(e.getMessage() + " (--data-dir)");
    }
    return 0;
  }
}
