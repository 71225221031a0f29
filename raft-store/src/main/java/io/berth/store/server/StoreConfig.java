package io.berth.store.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * Every setting of a store replica, and the one place where Berth's choices are
 * turned into Ratis properties. Each value that differs from Ratis' default says
 * why. Timeouts are chosen for fast failover on a LAN or loopback.
 *
 * @param name this member's name (a key of {@code peers})
 * @param dataDir where the Raft log, snapshots and identity file live
 * @param peers the initial members, name to peer address (host:port)
 * @param clientHost the address the etcd gRPC API listens on
 * @param clientPort its port (0 picks a free one)
 * @param advertiseClientHost the host clients are told to use (MemberList)
 * @param clusterToken distinguishes clusters; the Raft group id is derived from it
 * @param joinExisting this member was added with MemberAdd and joins a running cluster
 * @param tls TLS on the etcd API (client certificates required) and on Raft peer traffic;
 *     null for plaintext
 */
public record StoreConfig(
    String name,
    Path dataDir,
    Map<String, String> peers,
    String clientHost,
    int clientPort,
    String advertiseClientHost,
    String clusterToken,
    boolean joinExisting,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    long snapshotEveryEntries,
    long logSegmentBytes,
    long maxRequestBytes,
    long quotaBytes,
    boolean leaderLeaseReads,
    Duration progressNotifyInterval,
    Duration leaseCheckInterval,
    Duration autoCompactionRetention,
    io.berth.store.tls.StoreTls tls) {

  /** etcd's --max-request-bytes default. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
  /** etcd's --quota-backend-bytes default. */
  public static final long DEFAULT_QUOTA_BYTES = 2L * 1024 * 1024 * 1024;

  public static Builder builder() {
    return new Builder();
  }

  public String peerAddress() {
    String address = peers.get(name);
    if (address == null) {
      throw new IllegalArgumentException("--name " + name + " is not one of --peers " + peers.keySet());
    }
    return address;
  }

  static final Duration STAGING_TIMEOUT = Duration.ofSeconds(20);
  static final int APPEND_MAX_ENTRIES = 1024;

  public RaftProperties toRaftProperties(int peerPort) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, java.util.List.of(dataDir.resolve("raft").toFile()));
    GrpcConfigKeys.Server.setPort(p, peerPort);
    String peerHost = peerAddress().substring(0, peerAddress().lastIndexOf(':'));
    GrpcConfigKeys.Server.setHost(p, peerHost);

    // Linearizable reads by default: Ratis' default read option lets a leader answer
    // from local state without confirming it is still leader, which is not etcd's promise.
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // With a leader lease the leader answers ReadIndex without a heartbeat round while its
    // lease (90% of the minimum election timeout since the last majority ack) holds. It relies
    // only on clock rate, not clock agreement, and roughly doubles read throughput.
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, leaderLeaseReads);

    // A leader is suspected after 250-500 ms without heartbeats (Ratis: 150-300 ms). Slightly
    // longer than the default so that GC pauses on small, shared machines do not cause
    // elections, while failover still completes well under a second.
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(electionTimeoutMin.toMillis(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(electionTimeoutMax.toMillis(), TimeUnit.MILLISECONDS));

    // Snapshot automatically (Ratis: never) so the log can be purged, and purge up to the
    // snapshot (Ratis: keep) so disk use is bounded; a replica that falls behind the purged
    // log catches up by snapshot installation, which Ratis does by default.
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotEveryEntries);
    RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, snapshotEveryEntries));
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, snapshotEveryEntries));
    // Purging deletes only closed log segments, and a segment closes when it reaches this
    // size: until then nothing is purged, whatever the snapshot interval. Ratis' default
    // (32 MB); tests lower it to make a replica fall behind the purged log quickly.
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(logSegmentBytes));
    // Keep the two newest snapshots (Ratis: all of them).
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);

    // Every entry is fsynced before it counts toward a majority: Ratis' defaults
    // (unsafe-flush and async-flush off) already do this; stated here because durability
    // depends on it.
    RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
    RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
    // Commit-index records stay in the log (Ratis' default), although each is one more
    // replicated entry per commit advance: Ratis sends followers a new commit index only
    // with entries or heartbeats, and these records are what carry it at once. Without
    // them followers apply (and serve watches and linearizable reads) a heartbeat late.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, true);

    // A member being added catches up while the leader "stages" it, and Ratis fails the change
    // if the member has not answered an append for the staging timeout (Ratis: 3 x the election
    // timeout, 1.5 s here). On a loaded machine a joiner writing a long log fell silent for
    // longer, the change failed and was retried from scratch, again and again: it stayed in
    // STARTING for good (docs/chaos.md, bug 2). A joiner that answers within 20 s is progressing.
    RaftServerConfigKeys.setStagingTimeout(p, TimeDuration.valueOf(STAGING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    // And appends of at most 1,024 entries (Ratis: any number within 4 MB, which was 35,000
    // small entries in one message in that run): a follower catching up answers each in a
    // fraction of a second, and one append never holds more entries than its log queue (4,096).
    // The byte limit stays Ratis' 4 MB: one entry, a batch of client requests, may be that large.
    RaftServerConfigKeys.Log.Appender.setBufferElementLimit(p, APPEND_MAX_ENTRIES);

    // Requests up to the etcd limit plus their envelope must fit in one Raft message.
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(Math.max(maxRequestBytes * 2, 64L << 20)));
    return p;
  }

  /** Builds a config with the defaults a production member would use. */
  public static final class Builder {
    private String name;
    private Path dataDir;
    private Map<String, String> peers = new LinkedHashMap<>();
    private String clientHost = "127.0.0.1";
    private int clientPort = 2379;
    private String advertiseClientHost;
    private String clusterToken = "berth";
    private boolean joinExisting;
    private Duration electionTimeoutMin = Duration.ofMillis(250);
    private Duration electionTimeoutMax = Duration.ofMillis(500);
    // etcd's --snapshot-count default. A snapshot writes the whole in-memory state on the apply
    // thread, so taking one too often stalls commits on a large store.
    private long snapshotEveryEntries = 100_000;
    private long logSegmentBytes = 32L << 20;
    private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private long quotaBytes = DEFAULT_QUOTA_BYTES;
    private boolean leaderLeaseReads = true;
    private Duration progressNotifyInterval = Duration.ofMinutes(10);
    private Duration leaseCheckInterval = Duration.ofMillis(100);
    private Duration autoCompactionRetention = Duration.ZERO;
    private io.berth.store.tls.StoreTls tls;

    public Builder name(String v) { name = v; return this; }
    public Builder dataDir(Path v) { dataDir = v; return this; }
    public Builder peers(Map<String, String> v) { peers = new LinkedHashMap<>(v); return this; }
    public Builder clientHost(String v) { clientHost = v; return this; }
    public Builder clientPort(int v) { clientPort = v; return this; }
    public Builder advertiseClientHost(String v) { advertiseClientHost = v; return this; }
    public Builder clusterToken(String v) { clusterToken = v; return this; }
    public Builder joinExisting(boolean v) { joinExisting = v; return this; }
    public Builder electionTimeout(Duration min, Duration max) { electionTimeoutMin = min; electionTimeoutMax = max; return this; }
    public Builder snapshotEveryEntries(long v) { snapshotEveryEntries = v; return this; }
    public Builder logSegmentBytes(long v) { logSegmentBytes = v; return this; }
    public Builder maxRequestBytes(long v) { maxRequestBytes = v; return this; }
    public Builder quotaBytes(long v) { quotaBytes = v; return this; }
    public Builder leaderLeaseReads(boolean v) { leaderLeaseReads = v; return this; }
    public Builder progressNotifyInterval(Duration v) { progressNotifyInterval = v; return this; }
    public Builder leaseCheckInterval(Duration v) { leaseCheckInterval = v; return this; }
    /** Keep this much history and compact older revisions (etcd's periodic mode); zero turns it off. */
    public Builder autoCompactionRetention(Duration v) { autoCompactionRetention = v; return this; }
    /** TLS on the etcd API and between replicas; null (the default) is plaintext. */
    public Builder tls(io.berth.store.tls.StoreTls v) { tls = v; return this; }

    public StoreConfig build() {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("--name is required");
      }
      if (dataDir == null) {
        throw new IllegalArgumentException("--data-dir is required");
      }
      if (!peers.containsKey(name)) {
        throw new IllegalArgumentException("--peers must include this member's own name '" + name + "'");
      }
      return new StoreConfig(name, dataDir, Map.copyOf(peers), clientHost, clientPort,
          advertiseClientHost == null ? clientHost : advertiseClientHost, clusterToken, joinExisting,
          electionTimeoutMin, electionTimeoutMax, snapshotEveryEntries, logSegmentBytes, maxRequestBytes, quotaBytes,
          leaderLeaseReads, progressNotifyInterval, leaseCheckInterval, autoCompactionRetention, tls);
    }
  }
}
