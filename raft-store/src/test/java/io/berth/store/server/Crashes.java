package io.berth.store.server;

import io.berth.store.testing.StoreCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.apache.ratis.util.FileUtils;

/** Crashing a replica in this JVM, for the ITs of this package. */
final class Crashes {
  private Crashes() {}

  /**
   * Stops a member's Raft participation at once, as a crash would, then lets the rest
   * of it shut down in the background. (A plain close first stops the client API and
   * the member's Raft client, so for a moment it may still lead and commit.)
   */
  static void crash(StoreCluster cluster, String name) {
    cluster.member(name).node().division().close();
    cluster.killMember(name);
  }

  /**
   * What {@code kill -9} leaves: the member's data dir exactly as it was on disk at that moment,
   * without anything a shutdown writes (Ratis takes a snapshot when a division closes, which a
   * killed process never does). Copies the data dir of the running member, stops it, and puts
   * the copy back in place, ready for {@link StoreCluster#startMember}. Call it while no write
   * is in flight, so that the copy is consistent.
   */
  static void killNine(StoreCluster cluster, String name) {
    Path dataDir = cluster.member(name).config().dataDir();
    Path image = dataDir.resolveSibling(name + ".killed");
    try {
      copyTree(dataDir, image);
      cluster.stopMember(name);
      FileUtils.deleteFully(dataDir);
      Files.move(image, dataDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (Files.exists(source)) {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
