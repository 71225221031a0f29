package io.berth.agent.pods;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * The objects a pod refers to, read one by one from the API each time they are needed
 * (kubelet's "Get" strategy): what an agent does when node authorization lets it read only
 * the Secrets and ConfigMaps of its own pods, so it cannot watch them all. Changes show up
 * at the pod's next sync. A refusal counts as not there yet: the server may not have seen
 * the pod bound to this node, and the pod worker retries.
 */
public final class DirectPodObjects implements PodObjects {
  private final Client client;

  public DirectPodObjects(Client client) {
    this.client = client;
  }

  @Override
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return get(Resource.CONFIG_MAP, namespace, name);
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return get(Resource.SECRET, namespace, name);
  }

  private <T extends HasMetadata> Optional<T> get(Resource<T> resource, String namespace, String name) {
    try {
      return client.resource(resource).inNamespace(namespace).get(name);
    } catch (ApiException e) {
      if (e.code() == 403) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
