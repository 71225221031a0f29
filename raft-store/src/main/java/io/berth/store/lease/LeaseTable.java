package io.berth.store.lease;

import com.google.protobuf.ByteString;
import io.berth.store.mvcc.KeyRange;
import java.util.Collection;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated part of leases: which leases exist, their granted TTL and the
 * keys attached to them. Every replica holds the same table because it changes
 * only by applying the log. When a lease expires is not here: only the leader's
 * clock decides that ({@link LeaseExpiryTracker}).
 */
public final class LeaseTable {
  /** etcd's upper bound for a TTL, in seconds. */
  public static final long MAX_TTL_SECONDS = 9_000_000_000L;

  private final NavigableMap<Long, Lease> leases = new TreeMap<>();

  public record Lease(long id, long ttlSeconds, NavigableSet<ByteString> keys) {}

  public boolean exists(long id) {
    return leases.containsKey(id);
  }

  public Lease get(long id) {
    return leases.get(id);
  }

  public Collection<Lease> all() {
    return Collections.unmodifiableCollection(leases.values());
  }

  public void grant(long id, long ttlSeconds) {
    leases.put(id, new Lease(id, ttlSeconds, new TreeSet<>(KeyRange.ORDER)));
  }

  /** Removes the lease and returns the keys that were attached to it. */
  public NavigableSet<ByteString> remove(long id) {
    Lease lease = leases.remove(id);
    return lease == null ? Collections.emptyNavigableSet() : lease.keys();
  }

  public void attach(long id, ByteString key) {
    Lease lease = leases.get(id);
    if (lease != null) {
      lease.keys().add(key);
    }
  }

  public void detach(long id, ByteString key) {
    Lease lease = leases.get(id);
    if (lease != null) {
      lease.keys().remove(key);
    }
  }

  public int size() {
    return leases.size();
  }
}
