package io.berth.ingress.routing;

import static io.berth.ingress.routing.ClusterObjects.endpoints;
import static io.berth.ingress.routing.ClusterObjects.ingress;
import static io.berth.ingress.routing.ClusterObjects.ingressClass;
import static io.berth.ingress.routing.ClusterObjects.path;
import static io.berth.ingress.routing.ClusterObjects.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.ingress.balancing.Upstream;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingTableTest {
  private final RoutingTableBuilder builder = new RoutingTableBuilder("berth");

  /**
   * The "Examples" table of the Kubernetes Ingress documentation (Path types), row by row. Paths
   * are "type:path" separated by ';'; the expected answer is the matching rule's path (each path
   * leads to its own Service), or "none".
   */
  @ParameterizedTest(name = "{0} against {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      Prefix:/                                  | /anything/at/all | /
      Exact:/foo                                | /foo             | /foo
      Exact:/foo                                | /bar             | none
      Exact:/foo                                | /foo/            | none
      Exact:/foo/                               | /foo             | none
      Prefix:/foo                               | /foo             | /foo
      Prefix:/foo                               | /foo/            | /foo
      Prefix:/foo/                              | /foo             | /foo/
      Prefix:/foo/                              | /foo/            | /foo/
      Prefix:/aaa/bb                            | /aaa/bbb         | none
      Prefix:/aaa/bbb                           | /aaa/bbb         | /aaa/bbb
      Prefix:/aaa/bbb/                          | /aaa/bbb         | /aaa/bbb/
      Prefix:/aaa/bbb                           | /aaa/bbb/        | /aaa/bbb
      Prefix:/aaa/bbb                           | /aaa/bbb/ccc     | /aaa/bbb
      Prefix:/aaa/bbb                           | /aaa/bbbxyz      | none
      Prefix:/;Prefix:/aaa                      | /aaa/ccc         | /aaa
      Prefix:/;Prefix:/aaa;Prefix:/aaa/bbb      | /aaa/bbb         | /aaa/bbb
      Prefix:/;Prefix:/aaa;Prefix:/aaa/bbb      | /ccc             | /
      Prefix:/aaa                               | /ccc             | none
      Prefix:/foo;Exact:/foo                    | /foo             | Exact:/foo
      """)
  void matchesTheIngressSpecificationExamples(String paths, String request, String expected) {
    List<HTTPIngressPath> rules = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    int i = 0;
    for (String typeAndPath : paths.split(";")) {
      String[] parts = typeAndPath.split(":", 2);
      String svc = "svc-" + i++;
      rules.add(path(parts[1], parts[0], svc));
      services.add(service(svc));
    }
    RoutingTable table = builder.build(List.of(ingress("web", "", rules.toArray(HTTPIngressPath[]::new))),
        List.of(), services, List.of(), 1);

    Optional<Route> route = table.route("example.com", request);

    if (expected.equals("none")) {
      assertThat(route).isEmpty();
    } else if (expected.startsWith("Exact:")) {
      // Same path twice: the Exact rule's Service (the second one) must win.
      assertThat(route).get().extracting(r -> r.backend().name()).isEqualTo("default/svc-1:80");
    } else {
      assertThat(route).get().extracting(Route::path).isEqualTo(expected);
    }
  }

  @Test
  void exactHostWinsOverWildcardAndWildcardCoversOneLabel() {
    RoutingTable table = builder.build(List.of(
        ingress("exact", "foo.example.com", path("/", "Prefix", "exact")),
        ingress("wild", "*.example.com", path("/", "Prefix", "wild")),
        ingress("any", "", path("/", "Prefix", "any"))), List.of(), List.of(), List.of(), 1);

    assertThat(table.route("foo.example.com", "/").get().ingress()).isEqualTo("default/exact");
    assertThat(table.route("FOO.example.com:8080", "/").get().ingress()).isEqualTo("default/exact");
    assertThat(table.route("bar.example.com", "/").get().ingress()).isEqualTo("default/wild");
    assertThat(table.route("baz.bar.example.com", "/").get().ingress()).isEqualTo("default/any");
    assertThat(table.route("example.com", "/").get().ingress()).isEqualTo("default/any");
  }

  @Test
  void hostWithRulesButNoMatchingPathGoesToTheDefaultBackend() {
    Ingress withDefault = new IngressBuilder(ingress("api", "api.example.com", path("/v1", "Prefix", "api")))
        .editSpec().withNewDefaultBackend().withNewService().withName("fallback").withNewPort().withNumber(80)
        .endPort().endService().endDefaultBackend().endSpec().build();
    RoutingTable table = builder.build(List.of(withDefault, ingress("any", "", path("/", "Prefix", "any"))),
        List.of(), List.of(service("api"), service("fallback")), List.of(), 1);

    assertThat(table.route("api.example.com", "/v1/users").get().path()).isEqualTo("/v1");
    Route fallback = table.route("api.example.com", "/v2").get();
    assertThat(fallback.path()).isEqualTo("default");
    assertThat(fallback.backend().name()).isEqualTo("default/fallback:80");
  }

  @Test
  void backendResolvesToReadyAddressesOnly() {
    RoutingTable table = builder.build(List.of(ingress("web", "", path("/", "Prefix", "web"))), List.of(),
        List.of(service("web")), List.of(endpoints("web", List.of("10.0.0.1:31001", "10.0.0.2:31002"),
            List.of("10.0.0.3:31003"))), 1);

    Backend backend = table.route("x", "/").get().backend();

    assertThat(backend.upstreams()).containsExactly(new Upstream("10.0.0.1", 31001), new Upstream("10.0.0.2", 31001));
    assertThat(backend.unavailable()).isNull();
  }

  @Test
  void backendByPortNameFindsTheEndpointsPortOfThatName() {
    HTTPIngressPath byName = path("/", "Prefix", "web");
    byName.getBackend().getService().getPort().setNumber(null);
    byName.getBackend().getService().getPort().setName("http");
    Endpoints eps = endpoints("web", List.of("10.0.0.1:31001"), List.of());
    RoutingTable table = builder.build(List.of(ingress("web", "", byName)), List.of(), List.of(service("web")),
        List.of(eps), 1);

    assertThat(table.route("x", "/").get().backend().upstreams()).containsExactly(new Upstream("10.0.0.1", 31001));
  }

  @Test
  void missingServiceOrNoReadyEndpointNamesTheReason() {
    RoutingTable table = builder.build(List.of(ingress("a", "a.test", path("/", "Prefix", "gone")),
        ingress("b", "b.test", path("/", "Prefix", "idle"))), List.of(), List.of(service("idle")),
        List.of(endpoints("idle", List.of(), List.of("10.0.0.3:31003"))), 1);

    assertThat(table.route("a.test", "/").get().backend().unavailable()).isEqualTo("service default/gone not found");
    assertThat(table.route("b.test", "/").get().backend().unavailable())
        .isEqualTo("no ready endpoint for service default/idle");
  }

  @Test
  void servesItsClassAndClasslessIngressesOnlyWhenItIsTheDefaultClass() {
    Ingress other = new IngressBuilder(ingress("other", "other.test", path("/", "Prefix", "s")))
        .editSpec().withIngressClassName("nginx").endSpec().build();
    Ingress classless = new IngressBuilder(ingress("classless", "classless.test", path("/", "Prefix", "s")))
        .editSpec().withIngressClassName(null).endSpec().build();
    List<Ingress> all = List.of(other, classless, ingress("mine", "mine.test", path("/", "Prefix", "s")));

    RoutingTable notDefault = builder.build(all, List.<IngressClass>of(ingressClass("berth", false)), List.of(),
        List.of(), 1);
    RoutingTable isDefault = builder.build(all, List.of(ingressClass("berth", true)), List.of(), List.of(), 1);

    assertThat(notDefault.route("mine.test", "/")).isPresent();
    assertThat(notDefault.route("other.test", "/")).isEmpty();
    assertThat(notDefault.route("classless.test", "/")).isEmpty();
    assertThat(isDefault.route("classless.test", "/")).isPresent();
  }

  @Test
  void theOlderIngressWinsAConflictingPath() {
    RoutingTable table = builder.build(List.of(
        ingress("newer", "2026-02-01T00:00:00Z", "x.test", path("/", "Prefix", "newer")),
        ingress("older", "2026-01-01T00:00:00Z", "x.test", path("/", "Prefix", "older"))),
        List.of(), List.of(), List.of(), 1);

    assertThat(table.route("x.test", "/").get().ingress()).isEqualTo("default/older");
  }

  @Test
  void readsPolicyAnnotationsAndFallsBackOnBadValues() {
    Ingress annotated = new IngressBuilder(ingress("web", "", path("/", "Prefix", "web"))).editMetadata()
        .addToAnnotations(BackendPolicy.LOAD_BALANCE, "least-request")
        .addToAnnotations(BackendPolicy.CONNECT_TIMEOUT, "250ms")
        .addToAnnotations(BackendPolicy.RESPONSE_TIMEOUT, "soon").endMetadata().build();

    BackendPolicy policy = builder.build(List.of(annotated), List.of(), List.of(), List.of(), 1)
        .route("x", "/").get().policy();

    assertThat(policy.balancing()).isEqualTo(BackendPolicy.Balancing.LEAST_REQUEST);
    assertThat(policy.connectTimeout()).hasMillis(250);
    assertThat(policy.responseTimeout()).isEqualTo(BackendPolicy.DEFAULTS.responseTimeout());
  }
}
