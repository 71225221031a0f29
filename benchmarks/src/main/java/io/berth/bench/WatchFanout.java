package io.berth.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many watchers on one replica, one write: {@code watchers} HTTP watch streams (one
 * connection each, all on a few event-loop threads) on the ConfigMaps of one namespace,
 * from the current resourceVersion; then, per round, one update of the one object there,
 * sent through the same replica, and the time until each watcher has the event
 * ({@link WatchDeliveries}). A first round is not recorded (warm-up), and rounds are
 * spaced so that each starts from a quiet system.
 */
final class WatchFanout {
  /** Connections being opened (and watches being started) at once: under the server's accept backlog. */
  static final int OPENING_AT_ONCE = 256;
  static final Duration OPEN_LIMIT = Duration.ofMinutes(3);
  static final Duration DELIVERY_LIMIT = Duration.ofSeconds(30);
  static final Duration PAUSE = Duration.ofSeconds(1);
  static final String OBJECT = "watched";

  /** The outcome: deliveries, and how many watches did not open or ended early. */
  record Sample(WatchDeliveries deliveries, int watchers, int opened, int failedToOpen, int endedEarly,
      Duration openTime, URI replica) {
  }

  private final ApiClients clients;
  private final BenchNamespaces ns;
  private final PrintStream log;
  private final AtomicReference<WatchRound> round = new AtomicReference<>();
  private final AtomicInteger endedEarly = new AtomicInteger();
  private volatile boolean closing;

  WatchFanout(ApiClients clients, BenchNamespaces ns, PrintStream log) {
    this.clients = clients;
    this.ns = ns;
    this.log = log;
  }

  /** Runs {@code rounds} recorded rounds (plus one unrecorded) with {@code watchers} watchers on replica {@code replica}. */
  Sample run(int watchers, int rounds, int replica) throws Exception {
    URI target = clients.replicas().get(replica);
    try (HttpConnection writer = clients.open(replica)) {
      ApiSetup.expect(writer.send(HttpMethod.POST, ConfigMaps.collection(ns.watch()), ConfigMaps.body(OBJECT))
          .get(10, TimeUnit.SECONDS), 201);
      long from = ConfigMaps.resourceVersion(writer.send(HttpMethod.GET, ConfigMaps.collection(ns.watch()), null)
          .get(10, TimeUnit.SECONDS).text());
      // The watchers' own threads: replies to the writer must not queue behind 10,000 streams.
      EventLoopGroup group = new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()));
      try {
        long openStart = System.nanoTime();
        int opened = open(group, target, watchers, from);
        Duration openTime = Duration.ofNanos(System.nanoTime() - openStart);
        log.printf("watch: %d of %d watches open on %s in %.1f s%n", opened, watchers, target,
            openTime.toMillis() / 1000.0);
        WatchDeliveries deliveries = new WatchDeliveries();
        for (int r = 0; r <= rounds; r++) {
          TimeUnit.MILLISECONDS.sleep(PAUSE.toMillis());
          WatchRound current = new WatchRound("round-" + r + "-" + System.nanoTime(), watchers);
          round.set(current);
          long sent = System.nanoTime();
          HttpConnection.Reply reply = writer.send(HttpMethod.PUT, ConfigMaps.object(ns.watch(), OBJECT),
              ConfigMaps.body(OBJECT, 0, ConfigMaps.payload(current.marker()))).get(10, TimeUnit.SECONDS);
          long acked = System.nanoTime();
          ApiSetup.expect(reply, 200);
          boolean all = current.await(DELIVERY_LIMIT.toMillis());
          round.set(null);
          if (r > 0) {
            deliveries.addRound(sent, acked, current.receivedAt());
          }
          log.printf("watch: round %d%s: write %.1f ms, %s%n", r, r == 0 ? " (warm-up)" : "",
              (acked - sent) / 1e6, all ? "every watcher has the event" : "some watchers missed it");
        }
        return new Sample(deliveries, watchers, opened, watchers - opened, endedEarly.get(), openTime, target);
      } finally {
        closing = true;
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Opens the watches, {@link #OPENING_AT_ONCE} at a time; returns how many are streaming. */
  private int open(EventLoopGroup group, URI target, int watchers, long fromRevision) throws InterruptedException {
    Semaphore opening = new Semaphore(OPENING_AT_ONCE);
    CountDownLatch settled = new CountDownLatch(watchers);
    AtomicInteger ok = new AtomicInteger();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    String path = ConfigMaps.collection(ns.watch()) + "?watch=true&resourceVersion=" + fromRevision
        + "&timeoutSeconds=3600";
    for (int i = 0; i < watchers; i++) {
      opening.acquire();
      WatchStream stream = new WatchStream(i, round::get, () -> {
        if (!closing) {
          endedEarly.incrementAndGet();
        }
      });
      stream.established().whenComplete((v, e) -> {
        if (e == null) {
          ok.incrementAndGet();
        } else {
          firstFailure.compareAndSet(null, e);
        }
        opening.release();
        settled.countDown();
      });
      ChannelFuture connect = bootstrap(group, stream).connect(target.getHost(), target.getPort());
      connect.addListener(f -> {
        if (f.isSuccess()) {
          connect.channel().writeAndFlush(request(target, path));
        } else {
          stream.established().completeExceptionally(f.cause());
        }
      });
    }
    if (!settled.await(OPEN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
      log.printf("watch: %d watches still opening after %d s%n", settled.getCount(), OPEN_LIMIT.toSeconds());
    }
    if (firstFailure.get() != null) {
      log.printf("watch: %d watches failed to open, first: %s%n", watchers - ok.get(), firstFailure.get());
    }
    return ok.get();
  }

  private static Bootstrap bootstrap(EventLoopGroup group, WatchStream stream) {
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), stream);
          }
        });
  }

  private static FullHttpRequest request(URI target, String path) {
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    request.headers()
        .set(HttpHeaderNames.HOST, target.getHost() + ":" + target.getPort())
        .set(HttpHeaderNames.ACCEPT, "application/json");
    return request;
  }
}
