package io.berth.store.server;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * A file in the data dir naming the cluster and member it belongs to, so that a replica is
 * never started on another cluster's or another member's data, and so that a member keeps
 * the ID it was given: a founder's ID comes from its peer address, but a member added with
 * MemberAdd gets a fresh one, which only the cluster and this file know.
 *
 * @param peerAddress null in files written before members were given fresh IDs, whose
 *     member ID is always the one derived from the peer address
 */
record DataDirIdentity(String clusterToken, String name, long memberId, String peerAddress) {
  static final String FILE = "berth-member.properties";

  /** The identity of a data dir that already holds a member's data. */
  static Optional<DataDirIdentity> read(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    String id = p.getProperty("member-id");
    if (id == null) {
      throw new IllegalStateException(file + " names no member-id; it was edited or is damaged");
    }
    return Optional.of(new DataDirIdentity(p.getProperty("cluster-token"), p.getProperty("name"),
        Long.parseUnsignedLong(id, 16), p.getProperty("peer-address")));
  }

  /** Writes the identity of a new data dir, atomically. */
  void write(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Properties p = new Properties();
    p.setProperty("cluster-token", clusterToken);
    p.setProperty("name", name);
    p.setProperty("member-id", Long.toHexString(memberId));
    p.setProperty("peer-address", peerAddress);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, "Berth store member identity; do not edit");
    }
    Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Refuses to start a member on this data dir with another cluster token, name or peer address. */
  void checkStartedAs(Path dataDir, String clusterToken, String name, String peerAddress) {
    if (!clusterToken.equals(this.clusterToken)) {
      throw new IllegalStateException("data dir " + dataDir + " belongs to cluster '" + this.clusterToken
          + "', not '" + clusterToken + "' (--cluster-token); use another --data-dir");
    }
    if (!name.equals(this.name)) {
      throw new IllegalStateException("data dir " + dataDir + " belongs to member '" + this.name
          + "', not '" + name + "' (--name)");
    }
    String recorded = this.peerAddress != null ? this.peerAddress
        : MemberIds.memberId(peerAddress) == memberId ? peerAddress : null;
    if (!peerAddress.equals(recorded)) {
      throw new IllegalStateException("data dir " + dataDir + " belongs to member " + Long.toHexString(memberId)
          + (this.peerAddress == null ? " at another peer address" : " at peer address " + this.peerAddress)
          + ", not " + peerAddress + " (this member's --peers entry); a member's peer address cannot change");
    }
  }
}
