package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.access.Authenticator;
import io.berth.apiserver.access.Authorizer;
import io.berth.apiserver.access.UserInfo;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.cache.WatchCaches;
import io.berth.apiserver.discovery.Discovery;
import io.berth.apiserver.openapi.OpenApiV3;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.MetadataPolicy;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.ResourceHandler;
import io.berth.apiserver.testing.InMemoryObjectStore;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stages every request passes: authentication, the in-flight limit, authorization, metrics. */
class RequestStagesTest {
  private final ResourceTable table = ResourceTable.builtIn();
  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final WatchCaches caches = new WatchCaches(table, store, WatchCache.Settings.defaults(), timer);
  private final PrometheusRegistry registry = new PrometheusRegistry();

  @AfterEach
  void tearDown() {
    caches.close();
    timer.shutdownNow();
  }

  private Router router(Authorizer authorizer, InFlightLimiter limiter) {
    caches.start();
    ResourceHandler resources = new ResourceHandler(table, store, caches,
        new MetadataPolicy(Clock.systemUTC(), new Random(1)), timer);
    Authenticator bob = request -> new UserInfo("bob", List.of("system:authenticated"));
    return new Router(new Discovery(table), new OpenApiV3(table), resources, bob, authorizer, limiter, registry,
        caches::watcherCount);
  }

  @Test
  void aRefusedRequestIsForbiddenInKubernetesWords() throws Exception {
    Router router = router(a -> a.verb().equals("list") ? Authorizer.Decision.allow()
        : Authorizer.Decision.deny("no RBAC policy matched"), new InFlightLimiter(10, 10));
    ApiResponse get = router.route(request("GET", "/api/v1/namespaces/default/pods/web")).join();
    assertThat(get.code()).isEqualTo(403);
    JsonNode status = ObjectCodec.JSON.readTree(get.body());
    assertThat(status.get("reason").asText()).isEqualTo("Forbidden");
    assertThat(status.get("message").asText()).isEqualTo("pods \"web\" is forbidden: User \"bob\" cannot get "
        + "resource \"pods\" in API group \"\" in the namespace \"default\": no RBAC policy matched");
    ApiResponse nodes = router.route(request("DELETE", "/api/v1/nodes")).join();
    assertThat(ObjectCodec.JSON.readTree(nodes.body()).get("message").asText())
        .startsWith("nodes is forbidden: User \"bob\" cannot deletecollection resource \"nodes\" in API group \"\" "
            + "at the cluster scope");
    assertThat(router.route(request("GET", "/healthz")).join().code()).as("health needs no permission")
        .isEqualTo(200);
  }

  @Test
  void beyondTheInFlightLimitRequestsAreTooManyWithRetryAfterButWatchesAreNotCounted() throws Exception {
    InFlightLimiter limiter = new InFlightLimiter(1, 1);
    Router router = router(Authorizer.allowAll(), limiter);
    assertThat(limiter.tryAcquire(false)).isTrue(); // a slow read holds the only read slot
    ApiResponse refused = router.route(request("GET", "/api/v1/namespaces")).join();
    assertThat(refused.code()).isEqualTo(429);
    assertThat(refused.headers()).containsEntry("Retry-After", "1");
    assertThat(ObjectCodec.JSON.readTree(refused.body()).get("reason").asText()).isEqualTo("TooManyRequests");
    ApiResponse watch = router.route(new ApiRequest("GET", "/api/v1/namespaces",
        Map.of("watch", List.of("true")), null, new byte[0])).join();
    assertThat(watch.code()).isEqualTo(200);
    assertThat(watch.stream()).isNotNull();
    // Writes have their own budget.
    assertThat(router.route(new ApiRequest("POST", "/api/v1/namespaces", Map.of(), "application/json",
        "{\"metadata\":{\"name\":\"x\"}}".getBytes(StandardCharsets.UTF_8))).join().code()).isEqualTo(201);
    limiter.release(false);
    assertThat(router.route(request("GET", "/api/v1/namespaces")).join().code()).isEqualTo(200);
    assertThat(limiter.inFlight(false)).isZero();
    assertThat(limiter.inFlight(true)).isZero();
  }

  @Test
  void everyAnswerIsCountedByVerbResourceAndCode() throws Exception {
    Router router = router(Authorizer.allowAll(), new InFlightLimiter(10, 10));
    router.route(request("GET", "/api/v1/namespaces/default/configmaps/missing")).join();
    router.route(request("GET", "/api/v1/namespaces/default/configmaps")).join();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("berth_apiserver_requests_total{code=\"404\",resource=\"configmaps\",verb=\"get\"} 1.0")
        .contains("berth_apiserver_requests_total{code=\"200\",resource=\"configmaps\",verb=\"list\"} 1.0")
        .contains("berth_apiserver_current_inflight_requests{request_kind=\"readOnly\"} 0.0");
  }

  private static ApiRequest request(String method, String path) {
    return new ApiRequest(method, path, Map.of(), null, new byte[0]);
  }
}
