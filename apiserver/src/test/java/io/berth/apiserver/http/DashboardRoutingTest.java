package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.access.Authenticator;
import io.berth.apiserver.access.Authorizer;
import io.berth.apiserver.access.NodeRestriction;
import io.berth.apiserver.access.UserInfo;
import io.berth.apiserver.audit.AuditSink;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.cache.WatchCaches;
import io.berth.apiserver.dashboard.Dashboard;
import io.berth.apiserver.dashboard.MemberStatuses;
import io.berth.apiserver.discovery.Discovery;
import io.berth.apiserver.openapi.OpenApiV3;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.MetadataPolicy;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.ResourceHandler;
import io.berth.apiserver.rest.Statuses;
import io.berth.apiserver.testing.InMemoryObjectStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's place in the request path: its page is answered to anyone, the members'
 * statuses only to an authenticated caller that RBAC lets get the non-resource URL.
 */
class DashboardRoutingTest {
  private final ResourceTable table = ResourceTable.builtIn();
  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final WatchCaches caches = new WatchCaches(table, store, WatchCache.Settings.defaults(), timer);

  @AfterEach
  void tearDown() {
    caches.close();
    timer.shutdownNow();
  }

  /** Viewer "ann" may read the members; "eve" is authenticated but may not; anyone else is refused. */
  private Router router() {
    caches.start();
    ResourceHandler resources = new ResourceHandler(table, store, caches,
        new MetadataPolicy(Clock.systemUTC(), new Random(1)), timer);
    Authenticator tokens = request -> switch (String.valueOf(request.header("Authorization"))) {
      case "Bearer ann" -> new UserInfo("ann", List.of("system:authenticated"));
      case "Bearer eve" -> new UserInfo("eve", List.of("system:authenticated"));
      default -> throw Statuses.unauthorized();
    };
    Authorizer onlyAnn = a -> a.user().name().equals("ann") ? Authorizer.Decision.allow()
        : Authorizer.Decision.deny("no RBAC policy matched");
    MemberStatuses members = () -> CompletableFuture.completedFuture(List.of(
        new MemberStatuses.MemberStatus("server-1", 0xa1L, "http://127.0.0.1:2379", 0xa1L, 4, 120, 119, 4096, null),
        new MemberStatuses.MemberStatus("server-2", 0xb2L, "http://127.0.0.1:2479", 0xa1L, 4, 120, 120, 4096, null),
        MemberStatuses.MemberStatus.unreachable("server-3", 0xfedcba9876543210L, "http://127.0.0.1:2579",
            "DEADLINE_EXCEEDED: deadline exceeded")));
    return new Router(new Discovery(table), new OpenApiV3(table), resources, tokens, onlyAnn,
        new InFlightLimiter(10, 10), new PrometheusRegistry(), caches::watcherCount, null, AuditSink.none(),
        NodeRestriction::admit, new Dashboard(members), HealthChecks.alwaysOk());
  }

  @Test
  void thePageItselfNeedsNoCredentialsAndHoldsNoClusterData() {
    Router router = router();
    ApiResponse ui = router.route(get("/ui", null)).join();
    assertThat(ui.code()).isEqualTo(301);
    assertThat(ui.headers()).containsEntry("Location", "/ui/");
    ApiResponse page = router.route(get("/ui/", null)).join();
    assertThat(page.code()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("<script src=\"app.js\">")
        .doesNotContain("server-1");
    ApiResponse script = router.route(get("/ui/app.js", null)).join();
    assertThat(script.contentType()).startsWith("text/javascript");
    assertThat(new String(script.body(), StandardCharsets.UTF_8)).contains("watch=1", "/ui/api/members");
    assertThat(router.route(get("/ui/style.css", null)).join().code()).isEqualTo(200);
    assertThat(router.route(get("/ui/missing.js", null)).join().code()).as("not a page file: credentials first")
        .isEqualTo(401);
  }

  @Test
  void membersAreForAuthenticatedCallersRbacAllows() throws Exception {
    Router router = router();
    assertThat(router.route(get(Dashboard.MEMBERS_PATH, null)).join().code()).isEqualTo(401);
    ApiResponse eve = router.route(get(Dashboard.MEMBERS_PATH, "eve")).join();
    assertThat(eve.code()).isEqualTo(403);
    assertThat(ObjectCodec.JSON.readTree(eve.body()).get("message").asText())
        .contains("User \"eve\" cannot get path \"/ui/api/members\"");

    ApiResponse ann = router.route(get(Dashboard.MEMBERS_PATH, "ann")).join();
    assertThat(ann.code()).isEqualTo(200);
    JsonNode members = ObjectCodec.JSON.readTree(ann.body()).get("members");
    assertThat(members).hasSize(3);
    assertThat(members.get(0).get("name").asText()).isEqualTo("server-1");
    assertThat(members.get(0).get("isLeader").asBoolean()).isTrue();
    assertThat(members.get(0).get("appliedIndex").asLong()).isEqualTo(119);
    assertThat(members.get(1).get("isLeader").asBoolean()).isFalse();
    assertThat(members.get(1).get("leader").asText()).isEqualTo("a1");
    // IDs in hex, as etcdctl prints them: a uint64 does not survive as a JavaScript number.
    assertThat(members.get(2).get("id").asText()).isEqualTo("fedcba9876543210");
    assertThat(members.get(2).get("error").asText()).startsWith("DEADLINE_EXCEEDED");
    assertThat(members.get(2).has("term")).isFalse();
  }

  private static ApiRequest get(String path, String token) {
    Map<String, String> headers = token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    return new ApiRequest("GET", path, Map.of(), null, null, new byte[0], headers);
  }
}
