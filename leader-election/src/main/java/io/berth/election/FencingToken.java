package io.berth.election;

import com.google.protobuf.ByteString;
import io.berth.client.Client;
import io.etcd.jetcd.api.Compare;

/**
 * Proof of leadership: the campaign key a leader holds and that key's create_revision.
 * Another leader can only be elected after this key is deleted, and a key re-created
 * later gets a new create_revision, so "the key exists with this create_revision" holds
 * exactly while this leadership lasts. Every write of a leader-only component is made
 * conditional on it ({@link #compare()} in a store txn, or {@link #HEADER} on API calls,
 * which the API server turns into the same compare), so a deposed leader cannot write.
 *
 * @param key the campaign key, e.g. {@code /berth/elections/berth-scheduler/694d7a1f3c2b1a05}
 * @param revision the key's create_revision in the store
 */
public record FencingToken(String key, long revision) {
  /** The HTTP header that carries the token on API requests of leader-only components. */
  public static final String HEADER = "X-Berth-Fencing-Token";

  public FencingToken {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a fencing token needs its campaign key");
    }
    if (revision <= 0) {
      throw new IllegalArgumentException("a fencing token's revision is positive, not " + revision);
    }
  }

  /**
   * The header's value: the revision, a colon, then the full key
   * ({@code 1234:/berth/elections/berth-controller-manager/694d7a1f3c2b1a05}). The revision
   * comes first because a key may itself contain colons.
   */
  public String headerValue() {
    return revision + ":" + key;
  }

  /** Reads a header value written by {@link #headerValue()}. */
  public static FencingToken parse(String headerValue) {
    int colon = headerValue.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not a fencing token (revision:key): " + headerValue);
    }
    try {
      return new FencingToken(headerValue.substring(colon + 1), Long.parseLong(headerValue.substring(0, colon)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a fencing token (revision:key): " + headerValue, e);
    }
  }

  /** The store txn condition that holds while this leadership lasts: CREATE(key) == revision. */
  public Compare compare() {
    return Compare.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))
        .setTarget(Compare.CompareTarget.CREATE)
        .setResult(Compare.CompareResult.EQUAL)
        .setCreateRevision(revision)
        .build();
  }

  /** A view of {@code client} whose every request carries this token (it shares the client's connections). */
  public Client fence(Client client) {
    return client.withHeader(HEADER, headerValue());
  }
}
