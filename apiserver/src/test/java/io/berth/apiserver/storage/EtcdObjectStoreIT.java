package io.berth.apiserver.storage;

import io.berth.apiserver.testing.ApiCluster;
import io.berth.store.server.StoreConfig;
import io.berth.store.server.StoreServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the real store: one raft-store replica on loopback. */
class EtcdObjectStoreIT extends ObjectStoreContract {
  @TempDir
  static Path dir;
  static StoreServer server;
  static ObjectStore store;

  @BeforeAll
  static void start() throws Exception {
    server = StoreServer.start(StoreConfig.builder()
        .name("s1")
        .dataDir(dir.resolve("s1"))
        .peers(Map.of("s1", "127.0.0.1:" + ApiCluster.freePort()))
        .clientHost("127.0.0.1")
        .clientPort(ApiCluster.freePort())
        .build());
    store = new EtcdObjectStore(server.node());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected ObjectStore store() {
    return store;
  }
}
