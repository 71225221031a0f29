package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WatchDeliveriesTest {
  private static final long MS = 1_000_000L;
  private static final long NONE = WatchDeliveries.NOT_RECEIVED;

  @Test
  void latencyIsCountedFromTheSendAndFromTheAcknowledgement() {
    WatchDeliveries d = new WatchDeliveries();
    // Sent at 1,000 ms, acknowledged 10 ms later; watchers see it 12, 20 and 30 ms after the send.
    d.addRound(1_000 * MS, 1_010 * MS, new long[] {1_012 * MS, 1_020 * MS, 1_030 * MS});

    assertThat(d.received()).isEqualTo(3);
    assertThat(d.expected()).isEqualTo(3);
    assertThat(d.fromSendMillis(50)).isCloseTo(20, within(0.05));
    assertThat(d.fromSendMillis(100)).isCloseTo(30, within(0.05));
    assertThat(d.fromAckMillis(50)).isCloseTo(10, within(0.05));
    assertThat(d.writeMillis(50)).isCloseTo(10, within(0.05));
  }

  @Test
  void anEventBeforeTheAcknowledgementCountsAsZeroFromItAndIsTallied() {
    WatchDeliveries d = new WatchDeliveries();
    d.addRound(0, 10 * MS, new long[] {4 * MS, 14 * MS});

    assertThat(d.beforeAck()).isEqualTo(1);
    assertThat(d.fromAckMillis(0)).isEqualTo(0.0);
    assertThat(d.fromAckMillis(100)).isCloseTo(4, within(0.01));
    assertThat(d.fromSendMillis(0)).isCloseTo(4, within(0.01));
  }

  @Test
  void watchersThatNeverReceivedAreMissingNotFast() {
    WatchDeliveries d = new WatchDeliveries();
    d.addRound(0, MS, new long[] {NONE, 5 * MS, NONE});
    d.addRound(100 * MS, 101 * MS, new long[] {103 * MS, 107 * MS, NONE});

    assertThat(d.rounds()).isEqualTo(2);
    assertThat(d.expected()).isEqualTo(6);
    assertThat(d.received()).isEqualTo(3);
    assertThat(d.fromSendMillis(0)).isCloseTo(3, within(0.01));
    assertThat(d.fromSendMillis(100)).isCloseTo(7, within(0.01));
  }

  @Test
  void nothingReceivedGivesNoPercentiles() {
    WatchDeliveries d = new WatchDeliveries();
    d.addRound(0, MS, new long[] {NONE});

    assertThat(d.fromSendMillis(99)).isNaN();
    assertThat(d.writeMillis(99)).isCloseTo(1, within(0.01));
  }

  @Test
  void aRoundNotesOnlyTheFirstLineCarryingItsMarker() {
    WatchRound round = new WatchRound("round-1-42", 2);
    round.onLine(0, "{\"type\":\"MODIFIED\",\"object\":{\"data\":{\"value\":\"round-0-7\"}}}".getBytes(), 5);
    round.onLine(0, "{\"type\":\"MODIFIED\",\"object\":{\"data\":{\"value\":\"round-1-42-xx\"}}}".getBytes(), 9);
    round.onLine(0, "{\"type\":\"MODIFIED\",\"object\":{\"data\":{\"value\":\"round-1-42-xx\"}}}".getBytes(), 11);

    assertThat(round.receivedAt()).containsExactly(9, NONE);
  }
}
