package io.berth.scheduler.controller;

import io.berth.client.informer.ObjectKeys;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pods the scheduler has placed but the informer does not yet show bound. Each counts against
 * its node from the moment it is chosen, so the next cycle does not place a second pod in the
 * room the first one took. An assumption ends when the informer shows the pod bound (or gone),
 * or is forgotten when the bind fails. One per term; thread-safe.
 */
public final class AssumedPods {
  private final Map<String, Pod> assumed = new LinkedHashMap<>();

  /** Counts {@code pod} on {@code node} from now on (a copy with spec.nodeName set). */
  public synchronized void assume(Pod pod, String node) {
    Pod placed = new PodBuilder(pod).editSpec().withNodeName(node).endSpec().build();
    assumed.put(ObjectKeys.key(pod), placed);
  }

  /** The bind failed: the pod takes no room anywhere. */
  public synchronized void forget(String key) {
    assumed.remove(key);
  }

  /** The informer shows this version of the pod: once it is bound, the assumption has done its job. */
  public synchronized void observed(Pod pod) {
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (nodeName != null && !nodeName.isEmpty()) {
      assumed.remove(ObjectKeys.key(pod));
    }
  }

  public synchronized boolean isAssumed(String key) {
    return assumed.containsKey(key);
  }

  public synchronized Optional<String> nodeOf(String key) {
    return Optional.ofNullable(assumed.get(key)).map(pod -> pod.getSpec().getNodeName());
  }

  /** The cached pods with each assumed pod standing in for its unbound cached copy. */
  public synchronized List<Pod> overlay(List<Pod> cached) {
    List<Pod> pods = new ArrayList<>(cached.size() + assumed.size());
    for (Pod pod : cached) {
      if (!assumed.containsKey(ObjectKeys.key(pod))) {
        pods.add(pod);
      }
    }
    pods.addAll(assumed.values());
    return pods;
  }

  public synchronized int size() {
    return assumed.size();
  }
}
