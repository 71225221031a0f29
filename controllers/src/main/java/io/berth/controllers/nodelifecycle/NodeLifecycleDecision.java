package io.berth.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node lifecycle decision for one node, a pure function of the node, its pods, when
 * its last heartbeat was seen, the time and the settings:
 *
 * <ol>
 *   <li>no heartbeat for longer than the grace period: every condition becomes Unknown
 *       (NodeStatusUnknown), unless it already is;</li>
 *   <li>the NoExecute taint follows Ready: Unknown → unreachable, False → not-ready,
 *       True → neither (the agent sets Ready back when it heartbeats again);</li>
 *   <li>pods on a node carrying one of these taints are evicted once their toleration of it
 *       has run out, counted from the taint's timeAdded (no toleration: the default; a
 *       toleration without tolerationSeconds: never).</li>
 * </ol>
 */
final class NodeLifecycleDecision {
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNKNOWN_MESSAGE = "Kubelet stopped posting node status.";
  static final Duration HELD_BACK_RECHECK = Duration.ofSeconds(5);

  private NodeLifecycleDecision() {}

  /**
   * @param heartbeatSeen when this controller last saw the node's heartbeat change (its own
   *     clock, so agents' clocks do not matter)
   * @param evictionsAllowed false in a full disruption: nothing is evicted
   */
  static NodePlan plan(Node node, List<Pod> podsOnNode, Instant heartbeatSeen, Instant now,
      NodeLifecycleSettings settings, boolean evictionsAllowed) {
    Instant deadline = heartbeatSeen.plus(settings.heartbeatGrace());
    boolean silent = now.isAfter(deadline);
    List<NodeCondition> unknown = silent && !"Unknown".equals(readyReported(node)) ? allUnknown(node, now) : null;
    String ready = unknown != null ? "Unknown" : NodeConditions.readyStatus(node);

    String wantedKey = switch (ready) {
      case "True" -> null;
      case "False" -> NOT_READY;
      default -> UNREACHABLE;
    };
    List<Taint> present = taints(node);
    List<Taint> remove = present.stream().filter(t -> isOurs(t) && !t.getKey().equals(wantedKey)).toList();
    Optional<Taint> kept = present.stream().filter(t -> isOurs(t) && t.getKey().equals(wantedKey)).findFirst();
    Taint add = wantedKey != null && kept.isEmpty() ? taint(wantedKey, now) : null;

    List<Pod> evict = new ArrayList<>();
    Instant nextDue = null;
    if (kept.isPresent() && evictionsAllowed) {
      Instant tainted = kept.get().getTimeAdded() == null ? now : Instant.parse(kept.get().getTimeAdded());
      for (Pod pod : podsOnNode) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        Optional<Duration> tolerated = toleration(pod, kept.get(), settings.defaultToleration());
        if (tolerated.isEmpty()) {
          continue;
        }
        Instant due = tainted.plus(tolerated.get());
        if (due.isAfter(now)) {
          nextDue = nextDue == null || due.isBefore(nextDue) ? due : nextDue;
        } else {
          evict.add(pod);
        }
      }
    }
    Duration recheck = null;
    if (!silent) {
      recheck = Duration.between(now, deadline).plusMillis(10);
    } else if (kept.isPresent() && !evictionsAllowed) {
      // Evictions are held back cluster-wide: look again for when they are not.
      recheck = HELD_BACK_RECHECK;
    }
    if (nextDue != null) {
      Duration untilDue = Duration.between(now, nextDue).plusMillis(10);
      recheck = recheck == null || untilDue.compareTo(recheck) < 0 ? untilDue : recheck;
    }
    return new NodePlan(unknown, add, remove, evict, recheck);
  }

  /**
   * How long {@code pod} stays on a node with {@code taint}: its matching toleration's
   * tolerationSeconds, the default when none matches, or empty (forever) when a matching
   * toleration has no tolerationSeconds.
   */
  static Optional<Duration> toleration(Pod pod, Taint taint, Duration defaultToleration) {
    List<Toleration> tolerations = pod.getSpec() == null || pod.getSpec().getTolerations() == null ? List.of()
        : pod.getSpec().getTolerations();
    Optional<Toleration> match = tolerations.stream().filter(t -> tolerates(t, taint)).findFirst();
    if (match.isEmpty()) {
      return Optional.of(defaultToleration);
    }
    Long seconds = match.get().getTolerationSeconds();
    return seconds == null ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
  }

  private static boolean tolerates(Toleration toleration, Taint taint) {
    boolean effect = toleration.getEffect() == null || toleration.getEffect().isEmpty()
        || toleration.getEffect().equals(taint.getEffect());
    boolean anyKey = toleration.getKey() == null || toleration.getKey().isEmpty();
    boolean exists = "Exists".equals(toleration.getOperator());
    boolean key = anyKey ? exists : toleration.getKey().equals(taint.getKey());
    String value = toleration.getValue() == null ? "" : toleration.getValue();
    String taintValue = taint.getValue() == null ? "" : taint.getValue();
    return effect && key && (exists || value.equals(taintValue));
  }

  /** The node's conditions, each Unknown from now on (a Ready Unknown added if it never reported one). */
  private static List<NodeCondition> allUnknown(Node node, Instant now) {
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<NodeCondition> result = new ArrayList<>();
    List<NodeCondition> current = node.getStatus() == null || node.getStatus().getConditions() == null ? List.of()
        : node.getStatus().getConditions();
    for (NodeCondition condition : current) {
      result.add(new NodeConditionBuilder(condition).withStatus("Unknown").withReason("NodeStatusUnknown")
          .withMessage(UNKNOWN_MESSAGE).withLastTransitionTime(at).build());
    }
    if (NodeConditions.ready(node).isEmpty()) {
      result.add(new NodeConditionBuilder().withType("Ready").withStatus("Unknown")
          .withReason("NodeStatusNeverUpdated").withMessage("Kubelet never posted node status.")
          .withLastHeartbeatTime(at).withLastTransitionTime(at).build());
    }
    return result;
  }

  /** Ready as reported, null when the node never reported it (so it is marked Unknown too). */
  private static String readyReported(Node node) {
    return NodeConditions.ready(node).map(NodeCondition::getStatus).orElse(null);
  }

  private static List<Taint> taints(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
  }

  private static boolean isOurs(Taint taint) {
    return "NoExecute".equals(taint.getEffect()) && (UNREACHABLE.equals(taint.getKey())
        || NOT_READY.equals(taint.getKey()));
  }

  private static Taint taint(String key, Instant now) {
    return new TaintBuilder().withKey(key).withEffect("NoExecute")
        .withTimeAdded(now.truncatedTo(ChronoUnit.SECONDS).toString()).build();
  }
}
