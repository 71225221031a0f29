package io.berth.apiserver.defaulting;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Pod's spec defaults ({@link PodSpecDefaults}) and the status a new pod starts with:
 * Pending, with the QoS class its resources put it in (which the node agent uses to
 * decide what to evict first).
 */
public final class PodDefaults {
  private PodDefaults() {}

  public static void apply(Pod pod) {
    PodSpecDefaults.apply(pod.getSpec());
    if (pod.getStatus() == null) {
      pod.setStatus(new PodStatus());
    }
    PodStatus status = pod.getStatus();
    status.setPhase(PodSpecDefaults.orDefault(status.getPhase(), "Pending"));
    if (status.getQosClass() == null && pod.getSpec() != null) {
      status.setQosClass(qosClass(Stream.concat(PodSpecDefaults.list(pod.getSpec().getInitContainers()).stream(),
          PodSpecDefaults.list(pod.getSpec().getContainers()).stream()).toList()));
    }
  }

  /**
   * BestEffort when no container asks for cpu or memory; Guaranteed when every container
   * limits both and requests exactly its limits (a request left out means the limit);
   * Burstable otherwise.
   */
  static String qosClass(List<Container> containers) {
    boolean anyResource = false;
    boolean guaranteed = true;
    for (Container c : containers) {
      Map<String, Quantity> requests = c.getResources() == null ? null : c.getResources().getRequests();
      Map<String, Quantity> limits = c.getResources() == null ? null : c.getResources().getLimits();
      for (String resource : List.of("cpu", "memory")) {
        Quantity request = requests == null ? null : requests.get(resource);
        Quantity limit = limits == null ? null : limits.get(resource);
        anyResource |= request != null || limit != null;
        guaranteed &= limit != null && (request == null || sameAmount(request, limit));
      }
    }
    if (!anyResource) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }

  private static boolean sameAmount(Quantity a, Quantity b) {
    return Quantity.getAmountInBytes(a).compareTo(Quantity.getAmountInBytes(b)) == 0;
  }
}
