package io.berth.apiserver.rest;

import io.berth.apiserver.cache.CacheWatcher;
import io.berth.apiserver.cache.ExpiredRevisionException;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.cache.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch response: registers a {@link CacheWatcher} once the response head is
 * out, writes each event as a line of JSON, and ends the response when the watch's
 * time is up, when the client cannot keep up, or when the cache restarts. A watch
 * from a version the cache no longer reaches gets one ERROR event carrying a 410
 * Expired Status, as kube-apiserver sends, so clients know to relist.
 */
final class WatchResponder implements StreamingBody, CacheWatcher.Sink {
  private static final Logger log = LoggerFactory.getLogger(WatchResponder.class);

  private final WatchCache cache;
  private final CacheWatcher watcher;
  private final OptionalLong fromRevision;
  private final boolean markInitialEnd;
  private final Duration timeout;
  private final ScheduledExecutorService timer;
  private final Function<WatchEvent, byte[]> encoder;
  private volatile ResponseStream stream;

  /**
   * @param fromRevision the revision to watch after, or empty to start with the
   *     current state as ADDED events
   * @param encoder how each event is written (a JSON line; a Table row for kubectl get -w)
   */
  WatchResponder(WatchCache cache, String prefix, Predicate<io.fabric8.kubernetes.api.model.HasMetadata> filter,
      boolean bookmarks, OptionalLong fromRevision, boolean markInitialEnd, Duration timeout,
      ScheduledExecutorService timer, Function<WatchEvent, byte[]> encoder) {
    this.cache = cache;
    this.fromRevision = fromRevision;
    this.markInitialEnd = markInitialEnd;
    this.timeout = timeout;
    this.timer = timer;
    this.encoder = encoder;
    this.watcher = new CacheWatcher(prefix, filter, bookmarks, this);
  }

  @Override
  public void start(ResponseStream responseStream) {
    this.stream = responseStream;
    ScheduledFuture<?> timeUp = timer.schedule(responseStream::end, timeout.toMillis(), TimeUnit.MILLISECONDS);
    responseStream.onClose(() -> {
      timeUp.cancel(false);
      cache.stop(watcher);
    });
    try {
      cache.watch(watcher, fromRevision, markInitialEnd);
    } catch (ExpiredRevisionException e) {
      responseStream.send(errorFrame(Statuses.expired(e.getMessage())));
      responseStream.end();
    }
  }

  @Override
  public boolean offer(WatchEvent event) {
    return stream.send(encoder.apply(event));
  }

  @Override
  public void end(String reason) {
    log.debug("ending a watch of {}: {}", cache.type().groupResource(), reason);
    stream.end();
  }

  /** {@code {"type":"ERROR","object":<Status>}}: how a watch reports an error once it has begun. */
  static byte[] errorFrame(ApiException error) {
    byte[] status = ObjectCodec.encode(Statuses.toStatus(error));
    return ("{\"type\":\"ERROR\",\"object\":" + new String(status, StandardCharsets.UTF_8) + "}\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
