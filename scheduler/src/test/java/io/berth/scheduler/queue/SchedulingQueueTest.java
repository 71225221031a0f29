package io.berth.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SchedulingQueue queue = new SchedulingQueue(Duration.ofSeconds(1), Duration.ofSeconds(10),
      Duration.ofMinutes(5), now::get);

  private SchedulingQueue.Popped popNow() throws InterruptedException {
    return queue.pop(Duration.ZERO);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void podsComeOutInTheOrderTheyCameInAndOnlyOnce() throws Exception {
    queue.add("ns/a");
    queue.add("ns/b");
    queue.add("ns/a");
    assertThat(popNow().key()).isEqualTo("ns/a");
    assertThat(popNow().key()).isEqualTo("ns/b");
    assertThat(popNow()).isNull();
  }

  @Test
  void anUnschedulablePodWaitsForAClusterEvent() throws Exception {
    queue.add("ns/a");
    queue.unschedulable(popNow());
    assertThat(queue.lengths()).isEqualTo(new SchedulingQueue.Lengths(0, 0, 1));
    advance(Duration.ofSeconds(30));
    assertThat(popNow()).as("no event yet: it stays put, past its back-off").isNull();

    queue.moveAllToActiveOrBackoff();
    assertThat(queue.lengths()).isEqualTo(new SchedulingQueue.Lengths(1, 0, 0));
    assertThat(popNow().key()).isEqualTo("ns/a");
  }

  @Test
  void aClusterEventDuringItsBackoffMovesItToBackoffNotActive() throws Exception {
    queue.add("ns/a");
    queue.unschedulable(popNow());
    queue.moveAllToActiveOrBackoff();
    assertThat(queue.lengths()).isEqualTo(new SchedulingQueue.Lengths(0, 1, 0));
    assertThat(popNow()).isNull();
    advance(Duration.ofMillis(1001));
    assertThat(popNow().key()).isEqualTo("ns/a");
  }

  @Test
  void anEventWhileThePodWasBeingTriedIsNotMissed() throws Exception {
    queue.add("ns/a");
    SchedulingQueue.Popped popped = popNow();
    queue.moveAllToActiveOrBackoff();                 // a node was added mid-cycle
    queue.unschedulable(popped);
    assertThat(queue.lengths()).as("backoff, not unschedulable").isEqualTo(new SchedulingQueue.Lengths(0, 1, 0));
  }

  @Test
  void aSpecChangeWhileThePodWasBeingTriedIsNotMissed() throws Exception {
    queue.add("ns/a");
    SchedulingQueue.Popped popped = popNow();
    queue.add("ns/a");                                // its spec changed mid-cycle
    queue.unschedulable(popped);
    assertThat(queue.lengths()).isEqualTo(new SchedulingQueue.Lengths(0, 1, 0));
  }

  @Test
  void backoffDoublesPerFailureUpToTheCap() {
    assertThat(queue.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(queue.backoffAfter(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(queue.backoffAfter(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(queue.backoffAfter(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(queue.backoffAfter(40)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aFailedBindIsRetriedAfterItsBackoff() throws Exception {
    queue.add("ns/a");
    queue.retryLater(popNow().key());
    assertThat(popNow()).isNull();
    advance(Duration.ofMillis(999));
    assertThat(popNow()).isNull();
    advance(Duration.ofMillis(2));
    SchedulingQueue.Popped again = popNow();
    assertThat(again.key()).isEqualTo("ns/a");
    queue.retryLater(again.key());
    advance(Duration.ofMillis(1500));
    assertThat(popNow()).as("second failure: 2 s").isNull();
    advance(Duration.ofMillis(600));
    assertThat(popNow().key()).isEqualTo("ns/a");
  }

  @Test
  void unschedulablePodsAreTriedAnywayAfterTheTimeout() throws Exception {
    queue.add("ns/a");
    queue.unschedulable(popNow());
    advance(Duration.ofMinutes(5).plusMillis(1));
    assertThat(popNow().key()).isEqualTo("ns/a");
  }

  @Test
  void aDeletedPodLeavesEveryPart() throws Exception {
    queue.add("ns/a");
    queue.add("ns/b");
    queue.unschedulable(popNow());
    queue.delete("ns/a");
    queue.delete("ns/b");
    queue.moveAllToActiveOrBackoff();
    assertThat(queue.lengths()).isEqualTo(new SchedulingQueue.Lengths(0, 0, 0));
  }

  @Test
  void theFirstQueuedTimeSurvivesRetries() throws Exception {
    queue.add("ns/a");
    long first = now.get();
    advance(Duration.ofSeconds(3));
    queue.retryLater(popNow().key());
    advance(Duration.ofSeconds(2));
    assertThat(popNow().firstQueuedNanos()).isEqualTo(first);
  }

  @Test
  void popWaitsForAnAddAndCloseReleasesIt() throws Exception {
    SchedulingQueue real = new SchedulingQueue(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(5),
        System::nanoTime);
    Thread adder = Thread.ofVirtual().start(() -> {
      sleep(100);
      real.add("ns/late");
    });
    assertThat(real.pop(Duration.ofSeconds(5)).key()).isEqualTo("ns/late");
    adder.join();
    Thread closer = Thread.ofVirtual().start(() -> {
      sleep(100);
      real.close();
    });
    long start = System.nanoTime();
    assertThat(real.pop(Duration.ofSeconds(10))).isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    closer.join();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
