package io.berth.cli.ingress;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous GETs (or POSTs) through the ingress from a few clients, each on a kept-alive connection
 * (opened again only when the ingress says it closes one), a request every 10 ms per client,
 * until stopped or {@code limit} has passed. Every answer other than a 200, and every I/O
 * failure, is a failure.
 */
final class Traffic implements AutoCloseable {
  record Result(long requests, List<String> failures, Set<String> bodies) {}

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong requests = new AtomicLong();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Set<String> bodies = ConcurrentHashMap.newKeySet();
  private final List<Thread> clients = new ArrayList<>();

  /** GETs of {@code path} on {@code host}. */
  static Traffic gets(HostedHttp http, String host, String path, int clients, Duration limit) {
    return start(http, host, path, false, clients, limit);
  }

  /** POSTs to {@code path} on {@code host}: a request the ingress may not retry once it reached a backend. */
  static Traffic posts(HostedHttp http, String host, String path, int clients, Duration limit) {
    return start(http, host, path, true, clients, limit);
  }

  private static Traffic start(HostedHttp http, String host, String path, boolean post, int clients, Duration limit) {
    Traffic traffic = new Traffic();
    Instant end = Instant.now().plus(limit);
    for (int i = 0; i < clients; i++) {
      traffic.clients.add(Thread.ofPlatform().name("traffic-" + (post ? "post-" : "get-") + i).daemon()
          .start(() -> traffic.run(http, host, path, post, end)));
    }
    return traffic;
  }

  private void run(HostedHttp http, String host, String path, boolean post, Instant end) {
    HostedHttp.Connection connection = null;
    while (running.get() && Instant.now().isBefore(end)) {
      try {
        if (connection == null || connection.closed()) {
          closeQuietly(connection);
          connection = http.open();
        }
        requests.incrementAndGet();
        HostedHttp.Answer answer = post ? connection.post(host, path, "n=" + requests.get()) : connection.get(host, path);
        if (answer.status() == 200) {
          bodies.add(answer.body().trim());
        } else {
          failures.add(Instant.now() + " " + answer.status() + " " + answer.body().trim());
        }
        Thread.sleep(10);
      } catch (IOException e) {
        failures.add(Instant.now() + " " + e);
        closeQuietly(connection);
        connection = null;
      } catch (InterruptedException e) {
        break;
      }
    }
    closeQuietly(connection);
  }

  Result stop() throws InterruptedException {
    running.set(false);
    for (Thread client : clients) {
      client.join(20_000);
    }
    return new Result(requests.get(), List.copyOf(failures), Set.copyOf(bodies));
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private static void closeQuietly(HostedHttp.Connection connection) {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
  }
}
