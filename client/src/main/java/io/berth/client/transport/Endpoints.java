package io.berth.client.transport;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server base URLs a client may use, and which one it uses now. Sticky: the
 * current endpoint stays current until a call through it fails, then the next one in
 * the list takes over (round robin). Several threads may report the same failure at
 * once; only the first report moves on, so one dead endpoint costs one switch, not
 * one per caller. Thread-safe.
 */
public final class Endpoints {
  private static final Logger log = LoggerFactory.getLogger(Endpoints.class);

  private final List<URI> uris;
  private final AtomicInteger current = new AtomicInteger();
  /** Per endpoint, the System.nanoTime before which it asked not to be called (Retry-After). */
  private final ConcurrentHashMap<URI, Long> notBefore = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  public Endpoints(List<URI> uris, LongSupplier nanoTime) {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("at least one API endpoint is needed");
    }
    this.uris = uris.stream().map(Endpoints::withoutTrailingSlash).toList();
    this.nanoTime = nanoTime;
  }

  public List<URI> all() {
    return uris;
  }

  public URI current() {
    return uris.get(current.get());
  }

  /**
   * Records that a call through {@code failed} did not get an answer (or was told to
   * come back later) and, if it is still the current endpoint, makes the next one current.
   *
   * @param retryAfter how long the endpoint asked to be left alone, or null
   */
  public void reportFailure(URI failed, String why, Duration retryAfter) {
    if (retryAfter != null && !retryAfter.isZero()) {
      notBefore.put(failed, nanoTime.getAsLong() + retryAfter.toNanos());
    }
    int index = uris.indexOf(failed);
    if (uris.size() == 1 || index < 0) {
      return;
    }
    int next = (index + 1) % uris.size();
    if (current.compareAndSet(index, next)) {
      log.info("API endpoint {} failed ({}); switching to {}", failed, why, uris.get(next));
    }
  }

  /** How long to wait before calling {@code endpoint}, honouring its last Retry-After (zero if none). */
  public Duration waitBefore(URI endpoint) {
    Long until = notBefore.get(endpoint);
    if (until == null) {
      return Duration.ZERO;
    }
    long remaining = until - nanoTime.getAsLong();
    if (remaining <= 0) {
      notBefore.remove(endpoint, until);
      return Duration.ZERO;
    }
    return Duration.ofNanos(remaining);
  }

  private static URI withoutTrailingSlash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
  }
}
