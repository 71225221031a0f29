package io.berth.apiserver.rest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Kubernetes fills in or normalizes per kind on every write, beyond metadata:
 * a Namespace is Active, carries the "kubernetes" finalizer and the label
 * kubernetes.io/metadata.name with its name (so selectors can pick namespaces); a Secret's
 * write-only stringData is merged into data. Kinds not named here are stored as sent.
 */
public final class KindDefaults {
  private KindDefaults() {}

  public static void apply(HasMetadata object) {
    if (object instanceof Namespace namespace) {
      namespace(namespace);
    } else if (object instanceof Secret secret) {
      secret(secret);
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
    if (namespace.getSpec().getFinalizers() == null || namespace.getSpec().getFinalizers().isEmpty()) {
      namespace.getSpec().setFinalizers(List.of("kubernetes"));
    }
    if (namespace.getStatus() == null) {
      namespace.setStatus(new NamespaceStatus());
    }
    if (namespace.getStatus().getPhase() == null) {
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
