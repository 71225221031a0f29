package io.berth.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Duration;
import java.util.List;

/**
 * What one sync of a node will do, decided without any write.
 *
 * @param conditions the node's new status conditions (all Unknown), or null to leave them
 * @param addTaint a NoExecute taint to add (subject to the eviction rate), or null
 * @param removeTaints taints of this controller to take off
 * @param evict pods whose toleration of the node's NoExecute taint has run out
 * @param recheckAfter when to look again (the heartbeat deadline, the next toleration to run
 *     out), or null
 */
record NodePlan(List<NodeCondition> conditions, Taint addTaint, List<Taint> removeTaints, List<Pod> evict,
    Duration recheckAfter) {

  boolean marksUnknown() {
    return conditions != null;
  }
}
