package io.berth.client;

import io.berth.client.transport.Backoff;
import io.berth.client.transport.Endpoints;
import io.berth.client.transport.HttpCall;
import io.berth.client.transport.Transport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * The client of Berth's Kubernetes REST API, over several API server endpoints with
 * failover (see {@link Transport} for the retry rules). Start from {@link #builder()};
 * {@link #resource(Resource)} gives typed calls for one kind.
 *
 * <pre>{@code
 * try (Client client = Client.builder().endpoints("http://10.0.0.1:6443", "http://10.0.0.2:6443").build()) {
 *   ResourceClient<Pod> pods = client.resource(Resource.POD).inNamespace("default");
 *   Optional<Pod> web = pods.get("web-0");
 * }
 * }</pre>
 *
 * Immutable and thread-safe; {@link #withHeader} returns a view that shares this
 * client's connections. Closing any view closes them all.
 */
public final class Client implements AutoCloseable {
  private final ClientContext context;
  private final Map<String, String> headers;

  private Client(ClientContext context, Map<String, String> headers) {
    this.context = context;
    this.headers = Map.copyOf(headers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Typed calls for one kind: across all namespaces (or cluster-wide) until narrowed with inNamespace. */
  public <T extends HasMetadata> ResourceClient<T> resource(Resource<T> resource) {
    return new ResourceClient<>(context, resource, null, headers);
  }

  /**
   * A view of this client whose every request carries this header too: per client (keep
   * the view) or per call ({@code client.withHeader(...).resource(...).create(...)}).
   */
  public Client withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new Client(context, more);
  }

  /**
   * POSTs {@code body} as JSON to {@code path} (for subresources such as
   * {@code /api/v1/namespaces/ns/pods/p/binding} or {@code .../eviction}) and decodes the
   * answer as {@code answerType}. Like every POST, retried only when no connection could be made.
   *
   * @throws ApiException for an answer with a Status
   */
  public <R> R post(String path, Object body, Class<R> answerType) {
    return context.call(new HttpCall("POST", path, ClientContext.encode(body), "application/json", false, headers),
        answerType);
  }

  /** The endpoint calls go to now (it changes when one fails). */
  public URI currentEndpoint() {
    return context.transport().endpoints().current();
  }

  @Override
  public void close() {
    context.timers().shutdownNow();
    context.transport().close();
  }

  /** Settings, each with a default chosen for fast failover on a LAN (DESIGN.md, decision 10). */
  public static final class Builder {
    private List<URI> endpoints = List.of();
    private Duration callTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration backoffBase = Duration.ofMillis(50);
    private Duration backoffCap = Duration.ofSeconds(2);
    private Duration watchStallGrace = Duration.ofSeconds(15);
    private final Map<String, String> headers = new HashMap<>();
    private RandomGenerator random = RandomGenerator.getDefault();
    private Clock clock = Clock.systemUTC();
    private javax.net.ssl.SSLContext tls;

    private Builder() {}

    /** API server base URLs, e.g. {@code http://127.0.0.1:6443}; the first is tried first. */
    public Builder endpoints(List<URI> uris) {
      this.endpoints = List.copyOf(uris);
      return this;
    }

    public Builder endpoints(String... uris) {
      return endpoints(Arrays.stream(uris).map(URI::create).toList());
    }

    /** How long one call may take, all retries and endpoints included (default 30 s). */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = timeout;
      return this;
    }

    /** How long to wait for a TCP connection before trying the next endpoint (default 2 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** Retry waits: about {@code base}, doubling per retry, at most {@code cap} (default 50 ms, 2 s). */
    public Builder backoff(Duration base, Duration cap) {
      this.backoffBase = base;
      this.backoffCap = cap;
      return this;
    }

    /**
     * How long past its requested timeout a watch stream may stay open before the client
     * takes its endpoint for unreachable and breaks it off (default 15 s).
     */
    public Builder watchStallGrace(Duration grace) {
      this.watchStallGrace = grace;
      return this;
    }

    /** A header every request of the client carries. */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** The source of back-off jitter (tests fix it). */
    public Builder random(RandomGenerator random) {
      this.random = random;
      return this;
    }

    /** The clock Retry-After dates are read against. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * HTTPS endpoints are verified against {@code files}' CA, and the client presents its
     * certificate, if it has one (its identity to the API server: CN user, O groups).
     */
    public Builder tls(io.berth.client.tls.TlsFiles files) throws java.io.IOException {
      this.tls = files.sslContext();
      return this;
    }

    public Client build() {
      HttpClient.Builder builder = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(connectTimeout);
      if (tls != null) {
        builder.sslContext(tls);
      }
      HttpClient http = builder.build();
      Transport transport = new Transport(http, new Endpoints(endpoints, System::nanoTime),
          new Backoff(backoffBase, backoffCap, random), callTimeout, clock);
      ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
          .name("berth-client-timers").daemon().factory());
      return new Client(new ClientContext(transport, timers, watchStallGrace), headers);
    }
  }
}
