package io.berth.chaos.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client threads of one workload: each runs its loop body until the workload stops.
 * A client issues one operation at a time, as Jepsen's processes do, so its operations never
 * overlap each other.
 */
final class ClientThreads {
  private static final Logger log = LoggerFactory.getLogger(ClientThreads.class);

  private final String workload;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;

  ClientThreads(String workload) {
    this.workload = workload;
  }

  /** Starts a client that runs {@code step} over and over until {@link #stop()}. */
  void start(String name, Runnable step) {
    Thread thread = Thread.ofPlatform().daemon().name(workload + "-" + name).start(() -> {
      while (!stopping) {
        try {
          step.run();
        } catch (RuntimeException e) {
          // A step records its own outcome; anything escaping it is a harness bug worth seeing.
          log.warn("{} client {}: {}", workload, name, e.toString(), e);
          pause(Duration.ofMillis(100));
        }
      }
    });
    threads.add(thread);
  }

  boolean stopping() {
    return stopping;
  }

  /** Asks every client to stop after its current operation, and waits for them. */
  void stop() {
    stopping = true;
    for (Thread thread : threads) {
      try {
        thread.join(Duration.ofSeconds(30));
        if (thread.isAlive()) {
          log.warn("{} did not stop within 30 s", thread.getName());
          thread.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
