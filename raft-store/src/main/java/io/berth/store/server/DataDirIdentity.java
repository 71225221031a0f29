package io.berth.store.server;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A file in the data dir naming the cluster and member it belongs to, so that a
 * replica is never started on another cluster's or another member's data.
 */
final class DataDirIdentity {
  static final String FILE = "berth-member.properties";

  private DataDirIdentity() {}

  /** Whether the data dir already holds a member's data. */
  static boolean exists(Path dataDir) {
    return Files.exists(dataDir.resolve(FILE));
  }

  /** Checks the identity of an existing data dir, or writes it for a new one. */
  static void checkOrCreate(Path dataDir, String clusterToken, String name, long memberId) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      Properties p = new Properties();
      p.setProperty("cluster-token", clusterToken);
      p.setProperty("name", name);
      p.setProperty("member-id", Long.toHexString(memberId));
      Path tmp = dataDir.resolve(FILE + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp)) {
        p.store(w, "Berth store member identity; do not edit");
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    String token = p.getProperty("cluster-token");
    String existingName = p.getProperty("name");
    String existingId = p.getProperty("member-id");
    if (!clusterToken.equals(token)) {
      throw new IllegalStateException("data dir " + dataDir + " belongs to cluster '" + token
          + "', not '" + clusterToken + "' (--cluster-token); use another --data-dir");
    }
    if (!name.equals(existingName)) {
      throw new IllegalStateException("data dir " + dataDir + " belongs to member '" + existingName
          + "', not '" + name + "' (--name)");
    }
    if (!Long.toHexString(memberId).equals(existingId)) {
      throw new IllegalStateException("data dir " + dataDir + " belongs to member " + existingId
          + " at another peer address; this member's --peers address gives " + Long.toHexString(memberId));
    }
  }
}
