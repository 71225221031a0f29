package io.berth.ingress.routing;

import static io.berth.ingress.routing.ClusterObjects.endpoints;
import static io.berth.ingress.routing.ClusterObjects.ingress;
import static io.berth.ingress.routing.ClusterObjects.path;
import static io.berth.ingress.routing.ClusterObjects.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoutingTablesTest {

  /** Table {@code version} routes a.test and b.test to endpoints whose port is the version, on both hosts. */
  private static RoutingTable version(int version) {
    String port = Integer.toString(30000 + version);
    return new RoutingTableBuilder("berth").build(
        List.of(ingress("a", "a.test", path("/", "Prefix", "web")), ingress("b", "b.test", path("/", "Prefix", "web"))),
        List.of(), List.of(service("web")), List.of(endpoints("web", List.of("10.0.0.1:" + port), List.of())),
        version);
  }

  @Test
  void lookupsDuringSwapsSeeOneWholeTableEachTime() throws Exception {
    RoutingTables tables = new RoutingTables();
    tables.swap(version(0));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong lookups = new AtomicLong();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    List<Thread> readers = new ArrayList<>();
    CountDownLatch started = new CountDownLatch(4);
    for (int r = 0; r < 4; r++) {
      Thread reader = new Thread(() -> {
        started.countDown();
        long lastSeen = -1;
        while (!stop.get()) {
          RoutingTable table = tables.current();
          int a = table.route("a.test", "/x").orElseThrow().backend().upstreams().get(0).port();
          int b = table.route("b.test", "/y").orElseThrow().backend().upstreams().get(0).port();
          if (a != b || a != 30000 + table.generation()) {
            problems.add("table " + table.generation() + " routed a to " + a + " and b to " + b);
          }
          if (table.generation() < lastSeen) {
            problems.add("went back from table " + lastSeen + " to " + table.generation());
          }
          lastSeen = table.generation();
          lookups.incrementAndGet();
        }
      });
      reader.start();
      readers.add(reader);
    }
    started.await();
    for (int v = 1; v <= 500; v++) {
      tables.swap(version(v));
    }
    stop.set(true);
    for (Thread reader : readers) {
      reader.join(10_000);
    }

    assertThat(problems).isEmpty();
    assertThat(lookups.get()).isGreaterThan(500);
    assertThat(tables.current().generation()).isEqualTo(500);
  }
}
