package io.berth.controllers.endpoints;

import io.berth.client.ApiException;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.IndexedCache;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.Controller;
import io.berth.controllers.ControllerContext;
import io.berth.controllers.Reconciler;
import io.berth.controllers.Result;
import io.berth.controllers.SharedInformer;
import io.berth.controllers.SharedInformers;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;

import java.util.Objects;

/**
 * Keeps, for every Service with a selector, an Endpoints object of the same name listing
 * the selected pods' addresses and published ports (see {@link EndpointsDecision}).
 * Services without a selector are left alone: their Endpoints are written by hand.
 *
 * <pre>
 * reconcile(namespace/service):
 *   service gone               -> delete its Endpoints, if this controller wrote them
 *   service without selector   -> nothing
 *   subsets = EndpointsDecision.subsets(service, pods of the namespace, node addresses)   // pure
 *   create the Endpoints, or update it if its subsets differ
 * </pre>
 *
 * A pod change enqueues every Service of its namespace that selects it before or after the
 * change, so a readiness change reaches the Endpoints in one watch event and one write.
 */
public final class EndpointsController implements Controller {
  /**
   * Marks the Endpoints this controller wrote, so that only those are deleted when their
   * Service is gone (an Endpoints written by hand without a Service is someone else's).
   */
  static final String MANAGED = "endpoints.berth.io/managed";

  private final SharedInformer<Service> services;
  private final SharedInformer<Pod> pods;
  private final SharedInformer<Endpoints> endpoints;
  private final SharedInformer<Node> nodes;

  public EndpointsController(SharedInformers informers) {
    this.services = informers.forResource(Resource.SERVICE);
    this.pods = informers.forResource(Resource.POD);
    this.endpoints = informers.forResource(Resource.ENDPOINTS);
    this.nodes = informers.forResource(Resource.NODE);
  }

  @Override
  public String name() {
    return "endpoints";
  }

  @Override
  public Reconciler start(ControllerContext context) {
    context.subscribe(services, keysOf(context, s -> List.of(ObjectKeys.key(s))));
    context.subscribe(endpoints, keysOf(context, e -> List.of(ObjectKeys.key(e))));
    context.subscribe(pods, new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        servicesSelecting(pod).forEach(context.queue()::add);
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        servicesSelecting(before).forEach(context.queue()::add);
        servicesSelecting(after).forEach(context.queue()::add);
      }

      @Override
      public void onDelete(Pod pod) {
        servicesSelecting(pod).forEach(context.queue()::add);
      }
    });
    return key -> reconcile(context, key);
  }

  private Result reconcile(ControllerContext context, String key) {
    Service service = services.cache().getByKey(key).orElse(null);
    Endpoints current = endpoints.cache().getByKey(key).orElse(null);
    String[] parts = key.split("/", 2);
    ResourceClient<Endpoints> api = context.client().resource(Resource.ENDPOINTS).inNamespace(parts[0]);
    if (service == null) {
      if (current != null && current.getMetadata().getAnnotations() != null
          && current.getMetadata().getAnnotations().containsKey(MANAGED)) {
        deleteLeftover(api, current);
      }
      return Result.done();
    }
    if (!EndpointsDecision.manages(service)) {
      return Result.done();
    }
    List<EndpointSubset> subsets = EndpointsDecision.subsets(service,
        pods.cache().byIndex(IndexedCache.NAMESPACE_INDEX, parts[0]), this::internalIp);
    if (current == null) {
      api.create(new EndpointsBuilder().withNewMetadata().withName(parts[1]).withNamespace(parts[0])
          .withLabels(service.getMetadata().getLabels()).addToAnnotations(MANAGED, "true").endMetadata()
          .withSubsets(subsets).build());
    } else if (!subsets.equals(current.getSubsets())) {
      // A copy: the cached object is shared. Its resourceVersion makes a stale cache a 409, retried.
      api.update(new EndpointsBuilder(current).editMetadata().addToAnnotations(MANAGED, "true").endMetadata()
          .withSubsets(subsets).build());
    }
    return Result.done();
  }

  private static void deleteLeftover(ResourceClient<Endpoints> api, Endpoints current) {
    try {
      api.delete(current.getMetadata().getName(), new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder()
          .withNewPreconditions().withUid(current.getMetadata().getUid()).endPreconditions().build());
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {
        throw e;
      }
    }
  }

  private List<String> servicesSelecting(Pod pod) {
    return services.cache().byIndex(IndexedCache.NAMESPACE_INDEX, pod.getMetadata().getNamespace()).stream()
        .filter(s -> EndpointsDecision.selects(s, pod)).map(ObjectKeys::key).toList();
  }

  private String internalIp(String nodeName) {
    Node node = nodes.cache().get(null, nodeName).orElse(null);
    if (node == null || node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return null;
    }
    return node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
        .map(NodeAddress::getAddress).filter(Objects::nonNull).findFirst().orElse(null);
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> ResourceEventHandler<T> keysOf(
      ControllerContext context, java.util.function.Function<T, List<String>> keys) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        keys.apply(object).forEach(context.queue()::add);
      }

      @Override
      public void onUpdate(T before, T after) {
        keys.apply(after).forEach(context.queue()::add);
      }

      @Override
      public void onDelete(T object) {
        keys.apply(object).forEach(context.queue()::add);
      }
    };
  }

}
