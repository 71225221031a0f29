package io.berth.apiserver.storage.encryption;

import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.storage.ChangeFeed;
import io.berth.apiserver.storage.StoredChange;
import io.berth.apiserver.storage.StoredObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChangeFeed} that hands the watch caches plaintext. A value that cannot be
 * decrypted (its key is not in the config) is logged, naming the key, and passed on as
 * stored: the cache then answers that object with a 500 when it is read, and every other
 * object still works.
 */
public final class DecryptingChangeFeed implements ChangeFeed {
  private static final Logger log = LoggerFactory.getLogger(DecryptingChangeFeed.class);

  private final ChangeFeed feed;
  private final AtRestEncryption encryption;

  public DecryptingChangeFeed(ChangeFeed feed, AtRestEncryption encryption) {
    this.feed = feed;
    this.encryption = encryption;
  }

  @Override
  public FeedSubscription subscribe(String prefix, long historyRevisions, FeedListener listener) {
    return feed.subscribe(prefix, historyRevisions, new FeedListener() {
      @Override
      public void onStart(long revision, List<StoredObject> objects) {
        listener.onStart(revision, objects.stream()
            .map(o -> new StoredObject(o.key(), plain(o.key(), o.value()), o.modRevision())).toList());
      }

      @Override
      public void onChanges(long revision, List<StoredChange> changes) {
        listener.onChanges(revision, changes.stream()
            .map(c -> new StoredChange(c.key(), plain(c.key(), c.value()), c.modRevision())).toList());
      }

      @Override
      public void onProgress(long revision) {
        listener.onProgress(revision);
      }

      @Override
      public void onLost(String reason) {
        listener.onLost(reason);
      }
    });
  }

  private byte[] plain(String key, byte[] value) {
    try {
      return encryption.fromStorage(key, value);
    } catch (ApiException e) {
      log.error("{}; check --encryption-provider-config", e.getMessage());
      return value;
    }
  }

  @Override
  public CompletableFuture<Long> quorumRevision() {
    return feed.quorumRevision();
  }
}
