package io.berth.scheduler.cache;

import io.berth.client.informer.ObjectKeys;
import io.berth.scheduler.framework.ClusterSnapshot;
import io.berth.scheduler.framework.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scheduler's view of the cluster, kept up to date one event at a time, as kube-scheduler's
 * cache is: every node with the pods that hold room on it, bound ones from the informers and
 * assumed ones the scheduler has chosen but the informers do not show bound yet.
 *
 * <p>Why not build the view from the informer caches each cycle: with 1,000 nodes and 10,000
 * pods that is 11,000 objects and their requests summed again for every pod placed. Here a
 * change rebuilds only the {@link NodeInfo} of the node it touches, and a cycle's snapshot is
 * a copy of the node list.
 *
 * <p>An assumption ends when the informer shows the pod bound (or deleted), when the bind
 * fails ({@link #forget}), or, should the informer never show the bound pod, after
 * {@code assumedTtl} from the bind's success.
 */
public final class SchedulerCache {
  private final Duration assumedTtl;
  private final Map<String, Node> nodes = new HashMap<>();
  /** Pods holding room, bound or assumed, by node name and then pod key. */
  private final Map<String, Map<String, Pod>> podsByNode = new HashMap<>();
  /** Where each pod in {@link #podsByNode} is. */
  private final Map<String, String> nodeOfPod = new HashMap<>();
  private final Map<String, Assumption> assumed = new LinkedHashMap<>();
  private final TreeMap<String, NodeInfo> infos = new TreeMap<>();
  private final Set<String> stale = new HashSet<>();

  private static final class Assumption {
    final Pod pod;
    boolean bound;          // false while the bind is under way
    long boundAtNanos;

    Assumption(Pod pod) {
      this.pod = pod;
    }
  }

  public SchedulerCache(Duration assumedTtl) {
    this.assumedTtl = assumedTtl;
  }

  public synchronized void nodeChanged(Node node) {
    String name = node.getMetadata().getName();
    nodes.put(name, node);
    stale.add(name);
  }

  public synchronized void nodeDeleted(Node node) {
    String name = node.getMetadata().getName();
    nodes.remove(name);
    infos.remove(name);
    stale.remove(name);
  }

  /** A pod as the informer shows it now (added or updated). */
  public synchronized void podChanged(Pod pod) {
    String key = ObjectKeys.key(pod);
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    boolean bound = nodeName != null && !nodeName.isEmpty();
    if (bound) {
      assumed.remove(key);                     // the informer shows what the assumption stood for
    }
    if (bound && !ClusterSnapshot.finished(pod)) {
      place(key, pod, nodeName);
    } else if (!assumed.containsKey(key)) {
      remove(key);
    }
  }

  public synchronized void podDeleted(Pod pod) {
    String key = ObjectKeys.key(pod);
    assumed.remove(key);
    remove(key);
  }

  /** Counts {@code pod} on {@code node} from now on, before any bind is sent. */
  public synchronized void assume(Pod pod, String node) {
    String key = ObjectKeys.key(pod);
    Pod placed = new PodBuilder(pod).editSpec().withNodeName(node).endSpec().build();
    assumed.put(key, new Assumption(placed));
    place(key, placed, node);
  }

  /** The bind succeeded: the assumption now waits for the informer, at most the TTL. */
  public synchronized void bound(String key, long nowNanos) {
    Assumption assumption = assumed.get(key);
    if (assumption != null) {
      assumption.bound = true;
      assumption.boundAtNanos = nowNanos;
    }
  }

  /** The bind failed: the pod takes no room anywhere. */
  public synchronized void forget(String key) {
    if (assumed.remove(key) != null) {
      remove(key);
    }
  }

  /** A leadership term ended: its assumptions are not the next term's. */
  public synchronized void forgetAll() {
    for (String key : new ArrayList<>(assumed.keySet())) {
      forget(key);
    }
  }

  public synchronized boolean isAssumed(String key) {
    return assumed.containsKey(key);
  }

  public synchronized int assumedCount() {
    return assumed.size();
  }

  /** Drops assumptions whose bind succeeded longer than the TTL ago; returns how many. */
  public synchronized int expireAssumed(long nowNanos) {
    int expired = 0;
    for (Iterator<Map.Entry<String, Assumption>> it = assumed.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Assumption> entry = it.next();
      Assumption assumption = entry.getValue();
      if (assumption.bound && nowNanos - assumption.boundAtNanos > assumedTtl.toNanos()) {
        it.remove();
        remove(entry.getKey());
        expired++;
      }
    }
    return expired;
  }

  /** Every known node with its pods, in name order, for one cycle. */
  public synchronized ClusterSnapshot snapshot() {
    for (String name : stale) {
      Node node = nodes.get(name);
      if (node != null) {
        infos.put(name, new NodeInfo(node, new ArrayList<>(podsByNode.getOrDefault(name, Map.of()).values())));
      }
    }
    stale.clear();
    return ClusterSnapshot.of(new ArrayList<>(infos.values()));
  }

  private void place(String key, Pod pod, String nodeName) {
    String previous = nodeOfPod.put(key, nodeName);
    if (previous != null && !previous.equals(nodeName)) {
      removeFrom(previous, key);
    }
    podsByNode.computeIfAbsent(nodeName, n -> new LinkedHashMap<>()).put(key, pod);
    stale.add(nodeName);
  }

  private void remove(String key) {
    String nodeName = nodeOfPod.remove(key);
    if (nodeName != null) {
      removeFrom(nodeName, key);
    }
  }

  private void removeFrom(String nodeName, String key) {
    Map<String, Pod> pods = podsByNode.get(nodeName);
    if (pods != null) {
      pods.remove(key);
      if (pods.isEmpty()) {
        podsByNode.remove(nodeName);
      }
    }
    stale.add(nodeName);
  }
}
