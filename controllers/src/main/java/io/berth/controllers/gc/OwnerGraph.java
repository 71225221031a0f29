package io.berth.controllers.gc;

import io.berth.client.Resource;
import io.berth.controllers.SharedInformer;
import io.berth.controllers.SharedInformers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The graph of owners and dependents over every kind Berth serves that can own or be
 * owned, read from the shared informers: each cache is indexed by uid and by the uids of
 * its objects' owners, so "who is this uid" and "who depends on this uid" are index
 * lookups, and the graph is always exactly as fresh as the caches.
 */
final class OwnerGraph {
  /** The kinds the garbage collector follows (Events and IngressClasses own nothing and are owned by nothing). */
  static final List<Resource<?>> KINDS = List.of(Resource.POD, Resource.REPLICA_SET, Resource.DEPLOYMENT,
      Resource.SERVICE, Resource.ENDPOINTS, Resource.CONFIG_MAP, Resource.SECRET, Resource.LEASE, Resource.INGRESS,
      Resource.NODE, Resource.NAMESPACE);

  static final String UID_INDEX = "gc-uid";
  static final String OWNER_INDEX = "gc-owner-uid";

  /** An object and its kind: a node of the graph. Its work-queue key is {@code plural|namespace/name}. */
  record Node(Resource<?> resource, HasMetadata object) {
    String key() {
      return Keys.of(resource, object);
    }
  }

  private final Map<Resource<?>, SharedInformer<? extends HasMetadata>> informers = new LinkedHashMap<>();

  OwnerGraph(SharedInformers shared) {
    for (Resource<?> resource : KINDS) {
      informers.put(resource, indexed(shared.forResource(resource)));
    }
  }

  private static <T extends HasMetadata> SharedInformer<T> indexed(SharedInformer<T> informer) {
    return informer.index(UID_INDEX, o -> List.of(o.getMetadata().getUid()))
        .index(OWNER_INDEX, o -> owners(o).stream().map(OwnerReference::getUid).toList());
  }

  Map<Resource<?>, SharedInformer<? extends HasMetadata>> informers() {
    return informers;
  }

  Optional<HasMetadata> get(Resource<?> resource, String namespacedName) {
    return informers.get(resource).cache().getByKey(namespacedName).map(o -> (HasMetadata) o);
  }

  /** The cached object with this uid, of any kind. */
  Optional<Node> byUid(String uid) {
    for (var entry : informers.entrySet()) {
      List<? extends HasMetadata> found = entry.getValue().cache().byIndex(UID_INDEX, uid);
      if (!found.isEmpty()) {
        return Optional.of(new Node(entry.getKey(), found.get(0)));
      }
    }
    return Optional.empty();
  }

  /** Every cached object with an owner reference to {@code uid}. */
  List<Node> dependentsOf(String uid) {
    List<Node> result = new ArrayList<>();
    informers.forEach((resource, informer) -> informer.cache().byIndex(OWNER_INDEX, uid)
        .forEach(o -> result.add(new Node(resource, o))));
    return result;
  }

  /** The served kind an owner reference names, if the garbage collector follows it. */
  static Optional<Resource<?>> resourceOf(OwnerReference ref) {
    return KINDS.stream().filter(r -> r.kind().equals(ref.getKind()) && r.apiVersion().equals(ref.getApiVersion()))
        .findFirst();
  }

  static List<OwnerReference> owners(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs == null ? List.of() : refs;
  }
}
