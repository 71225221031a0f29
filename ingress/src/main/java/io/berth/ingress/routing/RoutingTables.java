package io.berth.ingress.routing;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The routing table in use. Readers take {@link #current()} once per request and keep it for
 * that request; {@link #swap} replaces it whole, so requests in flight finish on the table they
 * started with and new ones see the new table at once, without locks or restarts.
 */
public final class RoutingTables {
  private final AtomicReference<RoutingTable> current = new AtomicReference<>(RoutingTable.EMPTY);

  public RoutingTable current() {
    return current.get();
  }

  /** Installs {@code table}; returns the one it replaced. */
  public RoutingTable swap(RoutingTable table) {
    return current.getAndSet(table);
  }
}
