package io.berth.ingress.routing;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link RoutingTable} from the cluster's Ingresses, IngressClasses, Services and
 * Endpoints: a pure function of its inputs (the objects are only read).
 *
 * <p>When Ingresses conflict (the same host, path and type; two defaultBackends; two Secrets for
 * one TLS host) the oldest Ingress wins, then the first by namespace/name, as ingress-nginx does.
 */
public final class RoutingTableBuilder {
  private final String className;

  /** @param className the IngressClass this router serves ({@code berth}) */
  public RoutingTableBuilder(String className) {
    this.className = className;
  }

  public RoutingTable build(Collection<Ingress> ingresses, Collection<IngressClass> classes,
      Collection<Service> services, Collection<Endpoints> endpoints, long generation) {
    IngressSelection selection = new IngressSelection(className, classes);
    BackendResolver resolver = new BackendResolver(byKey(services), byKey(endpoints));
    Map<String, List<PathRule>> exact = new HashMap<>();
    Map<String, List<PathRule>> wildcard = new HashMap<>();
    List<PathRule> anyHost = new ArrayList<>();
    Map<String, String> tls = new LinkedHashMap<>();
    Route defaultRoute = null;

    for (Ingress ingress : oldestFirst(ingresses)) {
      if (ingress.getSpec() == null || !selection.serves(ingress)) {
        continue;
      }
      String namespace = ingress.getMetadata().getNamespace();
      String key = namespace + "/" + ingress.getMetadata().getName();
      BackendPolicy policy = BackendPolicy.of(ingress);
      IngressBackend defaultBackend = ingress.getSpec().getDefaultBackend();
      if (defaultRoute == null && defaultBackend != null && defaultBackend.getService() != null) {
        defaultRoute = new Route(key, "*", "default", resolver.resolve(namespace, defaultBackend.getService()), policy);
      }
      for (IngressRule rule : nullToEmpty(ingress.getSpec().getRules())) {
        if (rule.getHttp() == null) {
          continue;
        }
        String host = rule.getHost() == null ? "" : rule.getHost().toLowerCase(Locale.ROOT);
        List<PathRule> rules = host.isEmpty() ? anyHost
            : host.startsWith("*.") ? wildcard.computeIfAbsent(host.substring(2), h -> new ArrayList<>())
            : exact.computeIfAbsent(host, h -> new ArrayList<>());
        for (HTTPIngressPath path : nullToEmpty(rule.getHttp().getPaths())) {
          if (path.getBackend() == null || path.getBackend().getService() == null) {
            continue; // resource backends are not supported
          }
          Route route = new Route(key, host.isEmpty() ? "*" : host, path.getPath() == null ? "/" : path.getPath(),
              resolver.resolve(namespace, path.getBackend().getService()), policy);
          rules.add(new PathRule(path.getPath(), PathType.of(path.getPathType()), route));
        }
      }
      for (IngressTLS entry : nullToEmpty(ingress.getSpec().getTls())) {
        if (entry.getSecretName() == null) {
          continue;
        }
        for (String host : nullToEmpty(entry.getHosts())) {
          tls.putIfAbsent(host.toLowerCase(Locale.ROOT), namespace + "/" + entry.getSecretName());
        }
      }
    }
    // A stable sort: among equal paths, the older Ingress (added first) stays first.
    Comparator<PathRule> mostSpecificFirst = Comparator.comparingInt(PathRule::specificity).reversed();
    exact.values().forEach(l -> l.sort(mostSpecificFirst));
    wildcard.values().forEach(l -> l.sort(mostSpecificFirst));
    anyHost.sort(mostSpecificFirst);
    return new RoutingTable(exact, wildcard, anyHost, defaultRoute, tls, generation);
  }

  private static List<Ingress> oldestFirst(Collection<Ingress> ingresses) {
    List<Ingress> sorted = new ArrayList<>(ingresses);
    sorted.sort(Comparator.comparing((Ingress i) -> nullToEmpty(i.getMetadata().getCreationTimestamp()))
        .thenComparing(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName()));
    return sorted;
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Map<String, T> byKey(Collection<T> objects) {
    Map<String, T> map = new HashMap<>();
    for (T o : objects) {
      map.put(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), o);
    }
    return map;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
