package io.berth.apiserver.access;

import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.storage.StorageKeys;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/** The pods bound to each node, from this replica's pod watch cache: what the Node authorizer decides by. */
public final class CachedBoundPods implements NodeAuthorizer.BoundPods {
  private final WatchCache pods;

  public CachedBoundPods(WatchCache pods) {
    this.pods = pods;
  }

  @Override
  public List<Pod> boundTo(String node) {
    return pods.list(StorageKeys.collectionPrefix(pods.type(), null)).items().stream()
        .map(o -> (Pod) o.object())
        .filter(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
        .toList();
  }

  @Override
  public Optional<Pod> pod(String namespace, String name) {
    String key = StorageKeys.objectKey(pods.type(), namespace, name);
    return pods.list(key).items().stream().filter(o -> o.key().equals(key)).map(o -> (Pod) o.object()).findFirst();
  }
}
