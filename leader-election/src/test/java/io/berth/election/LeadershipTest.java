package io.berth.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LeadershipTest {
  private final Leadership leadership = new Leadership(new FencingToken("/berth/elections/c/1", 5), "c", 2);

  @Test
  void stoppingInterruptsRunningWorkAndCancelsItsFuturesBeforeReturning() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Future<?> work = leadership.submit(() -> {
      running.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    });
    Future<?> queued = leadership.scheduleWithFixedDelay(() -> { }, Duration.ofMinutes(1), Duration.ofMinutes(1));
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

    boolean stopped = leadership.stop("lost", Duration.ofSeconds(5));

    assertThat(stopped).isTrue();
    assertThat(interrupted).isTrue();
    assertThat(work.isCancelled()).isTrue();
    assertThat(queued.isCancelled()).isTrue();
    assertThat(leadership.isLeading()).isFalse();
    assertThat(leadership.ended()).isCompletedWithValue("lost");
  }

  @Test
  void nothingCanBeSubmittedOnceLeadershipHasEnded() {
    leadership.stop("lost", Duration.ofSeconds(1));

    assertThatThrownBy(() -> leadership.submit(() -> { })).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void stopReportsWorkThatIgnoresInterrupts() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    leadership.submit(() -> {
      running.countDown();
      while (release.getCount() > 0) {
        Thread.onSpinWait(); // deaf to interrupts
      }
    });
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

    boolean stopped = leadership.stop("lost", Duration.ofMillis(200));
    release.countDown();

    assertThat(stopped).isFalse();
  }
}
