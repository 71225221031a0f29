package io.berth.election;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's client endpoints ({@code host:port} of each replica's etcd API), with
 * failover: calls stick to the current endpoint until it fails (unavailable, or no answer
 * within the deadline, as a partitioned replica behaves), then move round-robin to the next.
 * Any replica forwards writes and leader-only queries to the store's leader, so any live
 * endpoint will do. One channel per endpoint, created on first use.
 *
 * <p>Thread-safe.
 */
public final class StoreEndpoints implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreEndpoints.class);
  private static final long RETRY_PAUSE_MS = 50;

  private final List<String> endpoints;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Duration callTimeout;
  private final Function<String, ManagedChannel> dial;
  private int current;
  private boolean closed;

  public StoreEndpoints(List<String> endpoints, Duration callTimeout) {
    this(endpoints, callTimeout, null);
  }

  /**
   * With {@code dial} opening the channel to an endpoint (TLS with this process's
   * certificate when the store has TLS on); null dials plaintext.
   */
  public StoreEndpoints(List<String> endpoints, Duration callTimeout, Function<String, ManagedChannel> dial) {
    this.dial = dial != null ? dial : target -> NettyChannelBuilder.forTarget(target).usePlaintext().build();
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no store endpoints");
    }
    this.endpoints = List.copyOf(endpoints);
    this.callTimeout = callTimeout;
    endpoints.forEach(e -> channels.add(null));
  }

  /** The channel calls go to now. */
  public synchronized ManagedChannel current() {
    if (closed) {
      throw new IllegalStateException("store endpoints closed");
    }
    ManagedChannel channel = channels.get(current);
    if (channel == null) {
      channel = dial.apply(endpoints.get(current));
      channels.set(current, channel);
    }
    return channel;
  }

  /** {@code channel} failed a call; if it is still the current one, the next endpoint becomes current. */
  public synchronized void failed(ManagedChannel channel, Throwable cause) {
    if (closed || channels.get(current) != channel || endpoints.size() == 1) {
      return;
    }
    String from = endpoints.get(current);
    current = (current + 1) % endpoints.size();
    log.info("store endpoint {} failed ({}); now using {}", from, describe(cause), endpoints.get(current));
    ManagedChannel next = channels.get(current);
    if (next != null) {
      // It may have failed before: reconnect now rather than after gRPC's back-off.
      next.resetConnectBackoff();
    }
  }

  /**
   * Runs a unary call (given the channel and a per-attempt deadline) until it answers, moving
   * to the next endpoint when one is unavailable or silent. Only for calls that may be
   * repeated: a retried call may have taken effect the first time.
   *
   * @throws StatusRuntimeException the store's own error, or the last failure once the budget ran out
   */
  public <T> T call(Function<ManagedChannel, T> rpc) {
    long deadline = System.nanoTime() + callTimeout.toNanos();
    while (true) {
      ManagedChannel channel = current();
      try {
        return rpc.apply(channel);
      } catch (StatusRuntimeException e) {
        if (!isEndpointFailure(e) || System.nanoTime() - deadline >= 0) {
          throw e;
        }
        failed(channel, e);
        pause();
      }
    }
  }

  /** The deadline one attempt of a call gets: short enough that a silent endpoint leaves time for another. */
  public Duration attemptTimeout() {
    return callTimeout.dividedBy(2);
  }

  static boolean isEndpointFailure(Throwable t) {
    Status.Code code = Status.fromThrowable(t).getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
  }

  private static String describe(Throwable t) {
    Status status = Status.fromThrowable(t);
    return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    channels.stream().filter(c -> c != null).forEach(ManagedChannel::shutdownNow);
  }
}
