package io.berth.chaos.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The record of a run: every operation clients invoked with its outcome, every fault, every
 * event watchers received. Clients record from many threads; checkers read it once the run ends.
 * Times are nanoseconds since the run started, from one monotonic clock in the test process, so
 * invocation and completion times of different clients can be compared.
 */
public final class History {

  private final long startNanos = System.nanoTime();
  private final AtomicLong nextId = new AtomicLong();
  private final ConcurrentLinkedQueue<Operation> operations = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<WatchDelivery> deliveries = new ConcurrentLinkedQueue<>();

  /** Nanoseconds since the run started. */
  public long now() {
    return System.nanoTime() - startNanos;
  }

  /** Records that a client sent an operation; complete the returned handle exactly once. */
  public Pending invoke(int process, String replica, String f, String key, Long value, Long expected) {
    return new Pending(nextId.getAndIncrement(), process, replica, f, key, value, expected, now());
  }

  public void fault(Fault fault) {
    faults.add(fault);
  }

  public void delivered(int watcher, String replica, StoreEvent event) {
    deliveries.add(new WatchDelivery(watcher, replica, event, now()));
  }

  /** Operations in invocation order. */
  public List<Operation> operations() {
    List<Operation> sorted = new ArrayList<>(operations);
    sorted.sort(Comparator.comparingLong(Operation::invokeNanos).thenComparingLong(Operation::id));
    return sorted;
  }

  /** Faults in the order they began. */
  public List<Fault> faults() {
    List<Fault> sorted = new ArrayList<>(faults);
    sorted.sort(Comparator.comparingLong(Fault::startNanos));
    return sorted;
  }

  /** Watch deliveries in arrival order. */
  public List<WatchDelivery> deliveries() {
    List<WatchDelivery> sorted = new ArrayList<>(deliveries);
    sorted.sort(Comparator.comparingLong(WatchDelivery::atNanos));
    return sorted;
  }

  /** An invoked operation waiting for its outcome. */
  public final class Pending {
    private final long id;
    private final int process;
    private final String replica;
    private final String f;
    private final String key;
    private final Long value;
    private final Long expected;
    private final long invokeNanos;

    private Pending(long id, int process, String replica, String f, String key, Long value, Long expected,
        long invokeNanos) {
      this.id = id;
      this.process = process;
      this.replica = replica;
      this.f = f;
      this.key = key;
      this.value = value;
      this.expected = expected;
      this.invokeNanos = invokeNanos;
    }

    /** It took effect; for a read, {@code result} is the value read (null when absent). */
    public Operation ok(Long result) {
      return record(Outcome.OK, "read".equals(f) ? result : value, null);
    }

    /** It certainly did not take effect. */
    public Operation fail(String error) {
      return record(Outcome.FAIL, value, error);
    }

    /** Its fate is unknown (timeout, connection lost after sending). */
    public Operation info(String error) {
      return record(Outcome.INFO, value, error);
    }

    private Operation record(Outcome outcome, Long recordedValue, String error) {
      Operation op = new Operation(id, process, replica, f, key, recordedValue, expected, outcome, invokeNanos,
          now(), error);
      operations.add(op);
      return op;
    }
  }
}
