package io.berth.apiserver.rest;

import io.berth.apiserver.defaulting.NetworkDefaults;
import io.berth.apiserver.defaulting.PodDefaults;
import io.berth.apiserver.defaulting.WorkloadDefaults;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Kubernetes fills in or normalizes per kind on every write, beyond metadata:
 * a Namespace is Active (Terminating once being deleted), carries the "kubernetes" finalizer
 * (until it is being deleted) and the label
 * kubernetes.io/metadata.name with its name (so selectors can pick namespaces); a Secret's
 * write-only stringData is merged into data; pods, pod templates, services and workloads
 * get kube-apiserver's field defaults (package {@code defaulting}); a Node's allocatable
 * resources are its capacity unless it says otherwise. Kinds not named here are stored as sent.
 */
public final class KindDefaults {
  private KindDefaults() {}

  public static void apply(HasMetadata object) {
    switch (object) {
      case Namespace namespace -> namespace(namespace);
      case Secret secret -> secret(secret);
      case Pod pod -> PodDefaults.apply(pod);
      case Deployment deployment -> WorkloadDefaults.deployment(deployment);
      case ReplicaSet replicaSet -> WorkloadDefaults.replicaSet(replicaSet);
      case Service service -> NetworkDefaults.service(service);
      case Endpoints endpoints -> NetworkDefaults.endpoints(endpoints);
      case Node node -> node(node);
      default -> { }
    }
  }

  private static void node(Node node) {
    NodeStatus status = node.getStatus();
    if (status != null && (status.getAllocatable() == null || status.getAllocatable().isEmpty())
        && status.getCapacity() != null && !status.getCapacity().isEmpty()) {
      status.setAllocatable(new LinkedHashMap<>(status.getCapacity()));
    }
  }

  private static void namespace(Namespace namespace) {
    Map<String, String> labels = new LinkedHashMap<>(
        namespace.getMetadata().getLabels() == null ? Map.of() : namespace.getMetadata().getLabels());
    labels.put("kubernetes.io/metadata.name", namespace.getMetadata().getName());
    namespace.getMetadata().setLabels(labels);
    if (namespace.getSpec() == null) {
      namespace.setSpec(new NamespaceSpec());
    }
    boolean terminating = namespace.getMetadata().getDeletionTimestamp() != null;
    // Once the namespace is being deleted, its finalizers are the namespace controller's to
    // remove: an update that empties them finishes the delete, so they are not put back.
    if (!terminating && (namespace.getSpec().getFinalizers() == null || namespace.getSpec().getFinalizers().isEmpty())) {
      namespace.getSpec().setFinalizers(List.of("kubernetes"));
    }
    if (namespace.getStatus() == null) {
      namespace.setStatus(new NamespaceStatus());
    }
    if (terminating) {
      namespace.getStatus().setPhase("Terminating");
    } else if (namespace.getStatus().getPhase() == null) {
      namespace.getStatus().setPhase("Active");
    }
  }

  /** stringData wins over data for the same key, as in Kubernetes; it is never stored itself. */
  private static void secret(Secret secret) {
    Map<String, String> stringData = secret.getStringData();
    if (stringData != null && !stringData.isEmpty()) {
      Map<String, String> data = new LinkedHashMap<>(secret.getData() == null ? Map.of() : secret.getData());
      stringData.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
      secret.setData(data);
    }
    secret.setStringData(null);
    if (secret.getType() == null || secret.getType().isEmpty()) {
      secret.setType("Opaque");
    }
  }
}
