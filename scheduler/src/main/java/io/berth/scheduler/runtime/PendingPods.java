package io.berth.scheduler.runtime;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Objects;
import java.util.Set;

/** Which pods this scheduler places, and the binding that places one. */
final class PendingPods {
  static final Set<String> SCHEDULER_NAMES = Set.of("default-scheduler", "berth");

  private PendingPods() {}

  /** Not bound, not being deleted, and asking for this scheduler (no name means the default). */
  static boolean isPendingForUs(Pod pod) {
    if (pod.getSpec() == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    String nodeName = pod.getSpec().getNodeName();
    String schedulerName = pod.getSpec().getSchedulerName();
    return (nodeName == null || nodeName.isEmpty())
        && (schedulerName == null || schedulerName.isEmpty() || SCHEDULER_NAMES.contains(schedulerName));
  }

  /** Whether the pod holds room on a node: bound and not finished. */
  static boolean holdsRoom(Pod pod) {
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return nodeName != null && !nodeName.isEmpty() && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /** A change that gives a pending pod a new chance: its spec or labels; our own status writes do not. */
  static boolean schedulingRelevantChange(Pod before, Pod after) {
    return !Objects.equals(before.getSpec(), after.getSpec())
        || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels());
  }

  static String bindingPath(Pod pod) {
    return "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata().getName() + "/binding";
  }

  /** The binding names the pod's uid: a pod deleted and created again under the same name is not bound by it. */
  static Binding binding(Pod pod, String node) {
    return new BindingBuilder()
        .withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
        .withUid(pod.getMetadata().getUid()).endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget()
        .build();
  }
}
