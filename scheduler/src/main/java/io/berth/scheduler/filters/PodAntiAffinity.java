package io.berth.scheduler.filters;

import io.berth.controllers.workload.Selectors;
import io.berth.scheduler.framework.Filter;
import io.berth.scheduler.framework.FilterResult;
import io.berth.scheduler.framework.NodeInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.List;

/**
 * Required pod anti-affinity with topologyKey kubernetes.io/hostname, both ways: no pod on the
 * node matches a term of the incoming pod, and the incoming pod matches no term of a pod on the
 * node. A term looks at its namespaces, or at its own pod's namespace when it names none.
 * Terms on other topology keys are not evaluated yet.
 */
public final class PodAntiAffinity implements Filter {
  public static final String HOSTNAME = "kubernetes.io/hostname";
  public static final String MISMATCH = "node(s) didn't match pod anti-affinity rules";

  @Override
  public String name() {
    return "PodAntiAffinity";
  }

  @Override
  public FilterResult filter(Pod pod, NodeInfo node) {
    // Most pods have no anti-affinity: then only the node's pods that have some can object.
    List<Pod> candidates = NodeInfo.hasRequiredAntiAffinity(pod) ? node.pods() : node.podsWithRequiredAntiAffinity();
    for (Pod other : candidates) {
      if (repels(pod, other) || repels(other, pod)) {
        return FilterResult.fail(MISMATCH);
      }
    }
    return FilterResult.fits();
  }

  /** Whether one of owner's required hostname anti-affinity terms selects target. */
  static boolean repels(Pod owner, Pod target) {
    return hostnameTerms(owner).stream().anyMatch(term -> selects(term, owner, target));
  }

  private static boolean selects(PodAffinityTerm term, Pod owner, Pod target) {
    List<String> namespaces = term.getNamespaces() == null || term.getNamespaces().isEmpty()
        ? List.of(owner.getMetadata().getNamespace())
        : term.getNamespaces();
    return namespaces.contains(target.getMetadata().getNamespace())
        && Selectors.matches(term.getLabelSelector(), target.getMetadata().getLabels());
  }

  private static List<PodAffinityTerm> hostnameTerms(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getAffinity() == null
        || pod.getSpec().getAffinity().getPodAntiAffinity() == null) {
      return List.of();
    }
    List<PodAffinityTerm> terms = pod.getSpec().getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    return terms == null ? List.of() : terms.stream().filter(term -> HOSTNAME.equals(term.getTopologyKey())).toList();
  }
}
