package io.berth.scheduler.framework;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** An amount of the resources the scheduler counts: cpu in millicores, memory in bytes, pods. */
public record Resources(long milliCpu, long memory, long pods) {
  public static final Resources NONE = new Resources(0, 0, 0);

  public Resources plus(Resources other) {
    return new Resources(milliCpu + other.milliCpu, memory + other.memory, pods + other.pods);
  }

  public Resources minus(Resources other) {
    return new Resources(milliCpu - other.milliCpu, memory - other.memory, pods - other.pods);
  }

  /** From a resource list such as a node's allocatable ("cpu", "memory", "pods"). */
  public static Resources of(Map<String, Quantity> list) {
    if (list == null) {
      return NONE;
    }
    return new Resources(milliCpu(list.get("cpu")), bytes(list.get("memory")), count(list.get("pods")));
  }

  /**
   * What a pod requests: the sum over its containers, or the largest init container if that is
   * more (init containers run one at a time, before the others), plus the pod overhead; and one pod.
   */
  public static Resources requestedBy(Pod pod) {
    // One cycle asks this of the same pod once per node and filter or score (thousands of
    // times), and parsing Quantities is the costly part: remember the last pod per thread.
    LastAsked last = LAST_ASKED.get();
    if (last.pod != pod) {
      last.pod = pod;
      last.requests = compute(pod);
    }
    return last.requests;
  }

  private static final class LastAsked {
    Pod pod;
    Resources requests;
  }

  private static final ThreadLocal<LastAsked> LAST_ASKED = ThreadLocal.withInitial(LastAsked::new);

  private static Resources compute(Pod pod) {
    if (pod.getSpec() == null) {
      return new Resources(0, 0, 1);
    }
    Resources containers = sum(pod.getSpec().getContainers());
    Resources largestInit = largest(pod.getSpec().getInitContainers());
    Resources overhead = of(pod.getSpec().getOverhead());
    return new Resources(
        Math.max(containers.milliCpu, largestInit.milliCpu) + overhead.milliCpu,
        Math.max(containers.memory, largestInit.memory) + overhead.memory,
        1);
  }

  private static Resources sum(List<Container> containers) {
    Resources total = NONE;
    for (Container container : containers == null ? List.<Container>of() : containers) {
      total = total.plus(requestsOf(container));
    }
    return total;
  }

  private static Resources largest(List<Container> containers) {
    long cpu = 0;
    long memory = 0;
    for (Container container : containers == null ? List.<Container>of() : containers) {
      Resources requests = requestsOf(container);
      cpu = Math.max(cpu, requests.milliCpu);
      memory = Math.max(memory, requests.memory);
    }
    return new Resources(cpu, memory, 0);
  }

  private static Resources requestsOf(Container container) {
    if (container.getResources() == null) {
      return NONE;
    }
    return of(container.getResources().getRequests());
  }

  private static long milliCpu(Quantity quantity) {
    return quantity == null ? 0 : amount(quantity).movePointRight(3).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }

  private static long bytes(Quantity quantity) {
    return quantity == null ? 0 : amount(quantity).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }

  private static long count(Quantity quantity) {
    return quantity == null ? 0 : amount(quantity).longValue();
  }

  private static BigDecimal amount(Quantity quantity) {
    return Quantity.getAmountInBytes(quantity);
  }
}
