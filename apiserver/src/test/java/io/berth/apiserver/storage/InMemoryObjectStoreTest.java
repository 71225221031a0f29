package io.berth.apiserver.storage;

import io.berth.apiserver.testing.InMemoryObjectStore;

/** Keeps the test double honest: it obeys the same contract as the real store. */
class InMemoryObjectStoreTest extends ObjectStoreContract {
  private final ObjectStore store = new InMemoryObjectStore();

  @Override
  protected ObjectStore store() {
    return store;
  }
}
