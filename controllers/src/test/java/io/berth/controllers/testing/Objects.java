package io.berth.controllers.testing;

import io.berth.controllers.workload.OwnerRefs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Instant;
import java.util.Map;

/** Objects for decision tests, as the caches would hold them. */
public final class Objects {
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Objects() {}

  public static PodTemplateSpec template(Map<String, String> labels, String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
  }

  public static ReplicaSet replicaSet(String name, int replicas, Map<String, String> labels) {
    return new ReplicaSetBuilder()
        .withApiVersion("apps/v1").withKind("ReplicaSet")
        .withNewMetadata().withNamespace("ns").withName(name).withUid("uid-" + name).withGeneration(1L)
        .withResourceVersion("1").withCreationTimestamp(T0.toString()).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
        .withTemplate(template(labels, "nginx:1")).endSpec()
        .build();
  }

  /** A pod that is bound, Running and Ready since {@code readySince} (null: not ready). */
  public static Pod pod(String name, Map<String, String> labels, HasMetadata owner, Instant readySince) {
    PodBuilder pod = new PodBuilder()
        .withNewMetadata().withNamespace("ns").withName(name).withUid("uid-" + name).withLabels(labels)
        .withResourceVersion("1").withCreationTimestamp(T0.toString()).endMetadata()
        .withNewSpec().withNodeName("node-1").endSpec()
        .withNewStatus().withPhase("Running").endStatus();
    if (owner != null) {
      pod.editMetadata().withOwnerReferences(OwnerRefs.controllerRef(owner)).endMetadata();
    }
    if (readySince != null) {
      pod.editStatus().addNewCondition().withType("Ready").withStatus("True")
          .withLastTransitionTime(readySince.toString()).endCondition().endStatus();
    }
    return pod.build();
  }

  public static Pod terminating(Pod pod) {
    return new PodBuilder(pod).editMetadata().withDeletionTimestamp(T0.toString()).endMetadata().build();
  }
}
