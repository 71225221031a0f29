package io.berth.controllers.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final List<Integer> depths = new ArrayList<>();
  private final WorkQueue queue = new WorkQueue("test",
      new PerKeyBackoff(Duration.ofMillis(20), Duration.ofMillis(80)), d -> {
        synchronized (depths) {
          depths.add(d);
        }
      });

  @AfterEach
  void shutDown() {
    queue.shutDown();
  }

  @Test
  void aKeyAddedTwiceBeforeAWorkerTakesItIsHandedOutOnce() throws Exception {
    queue.add("ns/a");
    queue.add("ns/b");
    queue.add("ns/a");

    assertThat(queue.depth()).isEqualTo(2);
    assertThat(queue.get()).isEqualTo("ns/a");
    assertThat(queue.get()).isEqualTo("ns/b");
    assertThat(queue.depth()).isZero();
  }

  @Test
  void aKeyAddedWhileBeingProcessedWaitsForDoneThenComesBack() throws Exception {
    queue.add("ns/a");
    String taken = queue.get();
    queue.add("ns/a");

    assertThat(queue.depth()).as("not handed to a second worker while the first holds it").isZero();
    queue.done(taken);
    assertThat(queue.depth()).isEqualTo(1);
    assertThat(queue.get()).isEqualTo("ns/a");
  }

  @Test
  void twoWorkersNeverHoldTheSameKeyAtOnce() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger worst = new AtomicInteger();
    AtomicInteger processed = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workers.add(Thread.ofPlatform().start(() -> {
        try {
          for (String key; (key = queue.get()) != null; ) {
            worst.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            Thread.sleep(1);
            concurrent.decrementAndGet();
            processed.incrementAndGet();
            queue.done(key);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    for (int i = 0; i < 200; i++) {
      queue.add("ns/only");
      Thread.sleep(0, 200_000);
    }
    Thread.sleep(50);
    queue.shutDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(worst.get()).isEqualTo(1);
    assertThat(processed.get()).isPositive();
  }

  @Test
  void addAfterDeliversTheKeyOnlyOnceTheDelayHasPassed() throws Exception {
    long start = System.nanoTime();
    queue.addAfter("ns/later", Duration.ofMillis(100));
    assertThat(queue.depth()).isZero();

    assertThat(queue.get()).isEqualTo("ns/later");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(95));
  }

  @Test
  void failuresBackOffPerKeyAndForgetStartsOver() {
    queue.addRateLimited("ns/a");
    queue.addRateLimited("ns/a");
    queue.addRateLimited("ns/a");

    assertThat(queue.retries("ns/a")).isEqualTo(3);
    assertThat(queue.retries("ns/b")).isZero();
    queue.forget("ns/a");
    assertThat(queue.retries("ns/a")).isZero();
  }

  @Test
  void shutDownReleasesWaitingWorkersWithNull() throws Exception {
    CountDownLatch released = new CountDownLatch(1);
    String[] got = {"unset"};
    Thread worker = Thread.ofPlatform().start(() -> {
      try {
        got[0] = queue.get();
        released.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Thread.sleep(20);
    queue.shutDown();

    assertThat(released.await(2, TimeUnit.SECONDS)).isTrue();
    assertThat(got[0]).isNull();
    worker.join();
    queue.add("ns/ignored");
    assertThat(queue.depth()).isZero();
  }

  @Test
  void depthIsReportedAsItChanges() throws Exception {
    queue.add("a");
    queue.add("b");
    queue.done(queue.get());

    synchronized (depths) {
      assertThat(depths).containsSubsequence(1, 2, 1);
    }
  }
}
