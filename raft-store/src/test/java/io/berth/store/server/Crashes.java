package io.berth.store.server;

import io.berth.store.testing.StoreCluster;

/** Crashing a replica in this JVM, for the ITs of this package. */
final class Crashes {
  private Crashes() {}

  /**
   * Stops a member's Raft participation at once, as a crash would, then lets the rest
   * of it shut down in the background. (A plain close first stops the client API and
   * the member's Raft client, so for a moment it may still lead and commit.)
   */
  static void crash(StoreCluster cluster, String name) {
    cluster.member(name).node().division().close();
    cluster.killMember(name);
  }
}
