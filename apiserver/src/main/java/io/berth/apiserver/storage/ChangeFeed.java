package io.berth.apiserver.storage;

import java.util.concurrent.CompletableFuture;

/**
 * The store's changes under a key prefix, as one ordered stream: what a watch cache
 * is fed with. Kept apart from {@link ObjectStore} because it is read by one cache
 * per resource, not by request handlers.
 */
public interface ChangeFeed {

  /**
   * Starts feeding {@code listener} on a thread of the feed's own: first
   * {@link FeedListener#onStart} with every object under {@code prefix} as of some
   * revision, then, in revision order with no gap, every change after it, with
   * progress marks in between.
   *
   * @param historyRevisions how many revisions of history to replay, when the store
   *     still holds them: the state is taken that many revisions back and the changes
   *     since are delivered as changes, so watches may start from a version a little
   *     older than the subscription
   */
  FeedSubscription subscribe(String prefix, long historyRevisions, FeedListener listener);

  /**
   * The store's revision as the quorum knows it: every write acknowledged before this
   * call is at or below it (a linearizable read).
   */
  CompletableFuture<Long> quorumRevision();

  /** One running subscription. */
  interface FeedSubscription extends AutoCloseable {
    /**
     * Asks for a progress mark: the listener will be told, after every change up to
     * it, the revision this replica has applied.
     */
    void requestProgress();

    @Override
    void close();
  }

  /** What a subscription delivers; every call comes from the same thread, in order. */
  interface FeedListener {
    /** The objects under the prefix as of {@code revision}, in key order. */
    void onStart(long revision, java.util.List<StoredObject> objects);

    /** The changes one revision made under the prefix (never empty). */
    void onChanges(long revision, java.util.List<StoredChange> changes);

    /** Every change up to {@code revision} has been delivered. */
    void onProgress(long revision);

    /**
     * The subscription lost its place (the store moved past revisions it had not
     * delivered, e.g. by installing a snapshot over compacted history) and has ended.
     */
    void onLost(String reason);
  }
}
