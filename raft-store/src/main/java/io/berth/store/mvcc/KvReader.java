package io.berth.store.mvcc;

/** Read access to the keys as of one revision: a past one, the current one, or a write in progress. */
@FunctionalInterface
public interface KvReader {
  /** Visits live versions in {@code range} in key order until the visitor returns false. */
  void scan(KeyRange range, MvccStore.VersionVisitor visitor);
}
