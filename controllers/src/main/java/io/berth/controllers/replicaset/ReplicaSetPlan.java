package io.berth.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Duration;
import java.util.List;

/**
 * What one sync of a ReplicaSet will do, decided from the caches without any write.
 *
 * @param adopt orphan pods matching the selector, to take ownership of
 * @param release owned pods that no longer match, to let go
 * @param create how many pods to create from the template
 * @param delete the pods to delete, least valuable first
 * @param status the status the ReplicaSet should report (from the pods before this plan)
 * @param recheckAfter when to look again though nothing changes (a ready pod becoming available), or null
 */
record ReplicaSetPlan(List<Pod> adopt, List<Pod> release, int create, List<Pod> delete, ReplicaSetStatus status,
    Duration recheckAfter) {}
