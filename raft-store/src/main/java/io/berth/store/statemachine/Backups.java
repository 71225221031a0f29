package io.berth.store.statemachine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Backups: the file {@code berth snapshot save} (or {@code etcdctl snapshot save}) writes from
 * the Maintenance API's Snapshot stream, checked, and turned into the seed of a new cluster.
 *
 * <p>The saved file is the state machine's snapshot, padded with zeros to whole 512-byte blocks,
 * then the SHA-256 of everything before it (etcd's framing, see MaintenanceService).
 *
 * <p>A restore writes the state, in the state machine's snapshot format, to
 * {@code DATA_DIR/restore/snapshot} of a new member. On its first start (after Ratis has
 * formatted the storage) the state machine adopts it as its snapshot at term 0, index 1, and
 * Ratis starts the log after it, identically on every member seeded from the same file.
 * Membership is not carried over, as etcd's restore does not: the new members publish
 * themselves.
 */
public final class Backups {
  private static final int SHA256_BYTES = 32;
  private static final int BLOCK = 512;
  /** The term and index the seed snapshot stands at: before anything the new cluster logs. */
  static final long SEED_TERM = 1;
  static final long SEED_INDEX = 1;

  private Backups() {}

  /** Where a restored member's starting state waits for its first start. */
  public static Path seedPath(Path dataDir) {
    return dataDir.resolve("restore").resolve("snapshot");
  }

  /** What a checked backup holds. */
  public record Contents(long revision, long compactedRevision, long keys, String sha256) {}

  /**
   * Checks the SHA-256 trailer and reads the snapshot through.
   *
   * @throws IOException naming what is wrong: too short, not block-aligned, checksum mismatch, truncated
   */
  public static Contents check(Path saved) throws IOException {
    StoreState state = new StoreState();
    String sha = readInto(saved, state);
    return new Contents(state.mvcc().revision(), state.mvcc().compactedRevision(), countKeys(state), sha);
  }

  /**
   * Makes {@code dataDir} (which must hold no member yet) the data dir of a member of a new
   * cluster with {@code clusterToken} that starts from the backup's state.
   *
   * @return the backup's revision
   */
  public static long seed(Path saved, Path dataDir) throws IOException {
    if (Files.exists(dataDir) && !isEmptyDir(dataDir)) {
      throw new IOException("data dir " + dataDir + " is not empty: a restore only prepares a new one");
    }
    StoreState state = new StoreState();
    readInto(saved, state);
    // Members of the old cluster are not members of the new one.
    state.restore(state.mvcc(), leaseTtls(state), List.of(), List.of());
    Path seed = seedPath(dataDir);
    Files.createDirectories(seed.getParent());
    SnapshotFile.write(state, seed);
    return state.mvcc().revision();
  }

  private static String readInto(Path saved, StoreState state) throws IOException {
    long size = Files.size(saved);
    if (size < SHA256_BYTES + 1) {
      throw new IOException(saved + " is too short to be a snapshot (" + size + " bytes)");
    }
    long body = size - SHA256_BYTES;
    if (body % BLOCK != 0) {
      throw new IOException(saved + " is not a snapshot saved from the Maintenance API: its size less the "
          + "32-byte SHA-256 trailer (" + body + " bytes) is not a whole number of 512-byte blocks");
    }
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] trailer;
    try (InputStream in = Files.newInputStream(saved)) {
      byte[] buffer = new byte[1 << 16];
      long left = body;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException(saved + " ended early");
        }
        sha256.update(buffer, 0, n);
        left -= n;
      }
      trailer = in.readNBytes(SHA256_BYTES);
    }
    byte[] digest = sha256.digest();
    if (!MessageDigest.isEqual(digest, trailer)) {
      throw new IOException(saved + " is damaged: its SHA-256 is " + HexFormat.of().formatHex(digest)
          + " but its trailer says " + HexFormat.of().formatHex(trailer));
    }
    // The reader stops after the header's record count: the zero padding is never read.
    SnapshotFile.read(saved, state);
    return HexFormat.of().formatHex(digest);
  }

  private static boolean isEmptyDir(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static Map<Long, Long> leaseTtls(StoreState state) {
    Map<Long, Long> ttls = new java.util.LinkedHashMap<>();
    state.leases().all().forEach(lease -> ttls.put(lease.id(), lease.ttlSeconds()));
    return ttls;
  }

  private static long countKeys(StoreState state) {
    return state.mvcc().allVersions().stream().map(kv -> kv.getKey()).distinct()
        .filter(key -> state.mvcc().get(key) != null).count();
  }
}
