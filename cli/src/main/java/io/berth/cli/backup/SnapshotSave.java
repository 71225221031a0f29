package io.berth.cli.backup;

import io.berth.cli.UserError;
import io.berth.cli.local.StatusCommand;
import io.berth.store.statemachine.Backups;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.berth.store.tls.StoreTls;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth snapshot save FILE}: the store's Snapshot stream from the Raft leader (whose
 * state holds every acknowledged write), written to FILE.part, checked (SHA-256 trailer, the
 * whole snapshot read through), then renamed to FILE. The file is the same etcdctl would save.
 */
@Command(name = "save", mixinStandardHelpOptions = true,
    description = "Save a consistent, checksummed snapshot of the store to FILE.")
final class SnapshotSave implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the snapshot.")
  Path file;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--dir", description = "A local cluster's directory (as given to 'berth up').")
    Path dir;

    @Option(names = "--endpoints", split = ",", paramLabel = "HOST:PORT",
        description = "Store client endpoints of any cluster, comma-separated.")
    List<String> endpoints;
  }

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    List<String> endpoints = target.endpoints != null ? target.endpoints : StatusCommand.endpointsOf(target.dir);
    StoreTls tls = target.dir == null ? null : StatusCommand.storeTlsOf(target.dir);
    String leader = leaderOf(endpoints, tls);
    Path partial = file.toAbsolutePath().resolveSibling(file.getFileName() + ".part");
    out.printf("saving a snapshot from %s (the Raft leader) to %s%n", leader, file);
    ManagedChannel channel = StoreTls.channelBuilder(leader, tls).maxInboundMessageSize(64 << 20).build();
    long bytes = 0;
    long nextReport = 1 << 20;
    try (OutputStream sink = Files.newOutputStream(partial)) {
      Iterator<SnapshotResponse> chunks = MaintenanceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.MINUTES).snapshot(SnapshotRequest.getDefaultInstance());
      while (chunks.hasNext()) {
        SnapshotResponse chunk = chunks.next();
        chunk.getBlob().writeTo(sink);
        bytes += chunk.getBlob().size();
        if (bytes >= nextReport) {
          out.printf("  %,d bytes received, %,d to go%n", bytes, chunk.getRemainingBytes());
          nextReport = bytes + (8 << 20);
        }
      }
    } catch (StatusRuntimeException e) {
      Files.deleteIfExists(partial);
      throw new UserError("the snapshot from " + leader + " failed: " + e.getStatus().getCode() + " "
          + e.getStatus().getDescription());
    } finally {
      channel.shutdownNow();
    }
    Backups.Contents contents;
    try {
      contents = Backups.check(partial);
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw new UserError("the snapshot received from " + leader + " does not check out: " + e.getMessage());
    }
    Files.move(partial, file.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out.printf("saved %s: %,d bytes, revision %d, %d keys, sha256 %s%n", file, bytes, contents.revision(),
        contents.keys(), contents.sha256());
    return 0;
  }

  /** The endpoint whose member leads; the first that answers says who that is. */
  private static String leaderOf(List<String> endpoints, StoreTls tls) {
    StringBuilder problems = new StringBuilder();
    for (String endpoint : endpoints) {
      ManagedChannel channel = StoreTls.channel(endpoint.trim(), tls);
      try {
        StatusResponse status = MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
            .status(StatusRequest.getDefaultInstance());
        if (status.getLeader() != 0 && status.getLeader() == status.getHeader().getMemberId()) {
          return endpoint.trim();
        }
      } catch (StatusRuntimeException e) {
        problems.append(' ').append(endpoint).append(": ").append(e.getStatus().getCode());
      } finally {
        channel.shutdownNow();
      }
    }
    throw new UserError("no leader among " + endpoints + (problems.isEmpty() ? "" : " (" + problems.toString().trim() + ")")
        + "; a snapshot is taken from the leader so that it holds every acknowledged write");
  }
}
