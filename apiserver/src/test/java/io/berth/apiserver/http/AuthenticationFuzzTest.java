package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.access.AuthenticationChain;
import io.berth.apiserver.access.Authorizer;
import io.berth.apiserver.access.TokenFile;
import io.berth.apiserver.access.UserInfo;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.cache.WatchCaches;
import io.berth.apiserver.discovery.Discovery;
import io.berth.apiserver.openapi.OpenApiV3;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.MetadataPolicy;
import io.berth.apiserver.rest.ResourceHandler;
import io.berth.apiserver.testing.InMemoryObjectStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Random Authorization headers (bounded: 3,000, seeded) through the whole request path:
 * each is answered 401 with a Status, or served for the one real token; never a 500 or an
 * exception out of the router.
 */
class AuthenticationFuzzTest {
  private static final String[] SCHEMES = {"Bearer ", "bearer ", "BEARER ", "Basic ", "Bearer", "", " Bearer  ",
      "Negotiate ", "Bearer \t"};
  private final ResourceTable table = ResourceTable.builtIn();
  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final WatchCaches caches = new WatchCaches(table, store, WatchCache.Settings.defaults(), timer);

  @AfterEach
  void tearDown() {
    caches.close();
    timer.shutdownNow();
  }

  @Test
  void randomCredentialsAreUnauthorizedAndNeverCrashTheRouter() {
    caches.start();
    ResourceHandler resources = new ResourceHandler(table, store, caches,
        new MetadataPolicy(Clock.systemUTC(), new Random(1)), timer);
    TokenFile tokens = TokenFile.of(Map.of("the-real-token", new UserInfo("root", List.of("system:masters"))));
    Router router = new Router(new Discovery(table), new OpenApiV3(table), resources,
        new AuthenticationChain(List.of(tokens), false), Authorizer.allowAll(), new InFlightLimiter(10, 10),
        new PrometheusRegistry(), caches::watcherCount);
    Random random = new Random(42);
    for (int i = 0; i < 3000; i++) {
      String header = SCHEMES[random.nextInt(SCHEMES.length)] + randomText(random);
      ApiRequest request = new ApiRequest("GET", "/api/v1/namespaces/default/configmaps", Map.of(), null, null,
          new byte[0], Map.of("Authorization", header));
      ApiResponse response = router.route(request).join();
      assertThat(response.code()).as(header).isEqualTo(401);
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(header).contains("\"reason\":\"Unauthorized\"");
    }
    ApiResponse real = router.route(new ApiRequest("GET", "/api/v1/namespaces/default/configmaps", Map.of(), null,
        null, new byte[0], Map.of("Authorization", "Bearer the-real-token"))).join();
    assertThat(real.code()).isEqualTo(200);
  }

  /** Printable, control, non-ASCII and very long strings, never empty (an empty token is no credential). */
  private static String randomText(Random random) {
    int length = 1 + (random.nextInt(10) == 0 ? random.nextInt(20_000) : random.nextInt(64));
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) switch (random.nextInt(4)) {
        case 0 -> 33 + random.nextInt(94);
        case 1 -> random.nextInt(32);
        case 2 -> 0x80 + random.nextInt(0x3000);
        default -> 'a' + random.nextInt(26);
      });
    }
    return text.toString().strip().isEmpty() ? "x" : text.toString();
  }
}
