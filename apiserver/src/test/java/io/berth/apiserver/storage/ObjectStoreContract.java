package io.berth.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The {@link ObjectStore} contract, written once; each implementation's test extends
 * it with one method that supplies the store. Keys are unique per test method, so a
 * store may be shared by the methods of one class.
 */
abstract class ObjectStoreContract {
  protected abstract ObjectStore store();

  private String key(String name) {
    return "/registry/core/configmaps/" + getClass().getSimpleName() + "/" + name;
  }

  @Test
  void createThenGetReturnsTheValueAtItsRevision() {
    StoredObject created = store().create(key("a"), bytes("v1")).join();
    StoredObject got = store().get(key("a")).join().orElseThrow();
    assertThat(got.modRevision()).isEqualTo(created.modRevision()).isPositive();
    assertThat(new String(got.value(), StandardCharsets.UTF_8)).isEqualTo("v1");
    assertThat(store().get(key("never")).join()).isEmpty();
  }

  @Test
  void fencedWritesHappenOnlyWhileTheCampaignKeyHasItsRevision() {
    String campaign = "/berth/elections/" + getClass().getSimpleName() + "/leader";
    long token = store().create(campaign, bytes("me")).join().modRevision();
    ObjectStore fenced = store().fencedBy(new Fence(campaign, token));
    long created = fenced.create(key("f"), bytes("1")).join().modRevision();
    long updated = fenced.update(key("f"), bytes("2"), created).join().modRevision();
    // A precondition failure under a fence that holds is still what it was.
    assertReason(fenced.update(key("f"), bytes("x"), created), StorageException.Reason.REVISION_CONFLICT);
    assertReason(fenced.create(key("f"), bytes("x")), StorageException.Reason.KEY_EXISTS);

    // The campaign ends and a new one begins at the same key: the old token is stale.
    store().delete(campaign, token).join();
    store().create(campaign, bytes("someone else")).join();
    assertReason(fenced.update(key("f"), bytes("3"), updated), StorageException.Reason.FENCED);
    assertReason(fenced.create(key("g"), bytes("1")), StorageException.Reason.FENCED);
    assertReason(fenced.delete(key("f"), updated), StorageException.Reason.FENCED);
    assertThat(new String(store().get(key("f")).join().orElseThrow().value(), StandardCharsets.UTF_8))
        .isEqualTo("2");
    assertThat(store().get(key("g")).join()).isEmpty();
  }

  @Test
  void secondCreateOfAKeyIsKeyExists() {
    store().create(key("dup"), bytes("1")).join();
    assertReason(store().create(key("dup"), bytes("2")), StorageException.Reason.KEY_EXISTS);
  }

  @Test
  void updateNeedsTheCurrentRevision() {
    long first = store().create(key("u"), bytes("1")).join().modRevision();
    long second = store().update(key("u"), bytes("2"), first).join().modRevision();
    assertThat(second).isGreaterThan(first);
    assertReason(store().update(key("u"), bytes("3"), first), StorageException.Reason.REVISION_CONFLICT);
    assertReason(store().update(key("missing"), bytes("3"), first), StorageException.Reason.KEY_NOT_FOUND);
    assertThat(new String(store().get(key("u")).join().orElseThrow().value(), StandardCharsets.UTF_8)).isEqualTo("2");
  }

  @Test
  void deleteReturnsTheLastValueAndNeedsTheCurrentRevision() {
    long first = store().create(key("d"), bytes("1")).join().modRevision();
    long second = store().update(key("d"), bytes("2"), first).join().modRevision();
    assertReason(store().delete(key("d"), first), StorageException.Reason.REVISION_CONFLICT);
    StoredObject deleted = store().delete(key("d"), second).join();
    assertThat(new String(deleted.value(), StandardCharsets.UTF_8)).isEqualTo("2");
    assertThat(deleted.modRevision()).isEqualTo(second);
    assertThat(store().get(key("d")).join()).isEmpty();
    assertReason(store().delete(key("d"), second), StorageException.Reason.KEY_NOT_FOUND);
  }

  @Test
  void listReturnsThePrefixInKeyOrderAtTheRevisionItWasReadAt() {
    String prefix = key("list/");
    store().create(prefix + "b", bytes("b")).join();
    long last = store().create(prefix + "a", bytes("a")).join().modRevision();
    store().create(key("list-other"), bytes("x")).join();
    StoredList list = store().list(prefix, 0).join();
    assertThat(list.items()).extracting(StoredObject::key).containsExactly(prefix + "a", prefix + "b");
    assertThat(list.revision()).isGreaterThanOrEqualTo(last);
  }

  private static void assertReason(CompletableFuture<?> call, StorageException.Reason reason) {
    assertThatThrownBy(call::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
