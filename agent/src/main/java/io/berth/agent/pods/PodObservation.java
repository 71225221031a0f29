package io.berth.agent.pods;

import io.berth.agent.runtime.ContainerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the agent knows about one pod at one moment, from which its status is computed.
 *
 * @param containers every attempt the runtime keeps of the pod's containers
 * @param ready ids of running containers whose readiness holds
 * @param started ids of running containers whose startup probe (if any) has passed
 * @param waiting why a container (by name) is not running, when the agent knows better than "ContainerCreating"
 * @param willRestart names of exited containers that will run again (restart policy, not yet given up)
 * @param podIp the pod's address, or null before it has a sandbox
 * @param hostIp the node's address
 * @param terminating the pod is being deleted: not ready, whatever the probes say
 * @param now the time conditions change at
 * @param runtime the runtime's name, the scheme of containerIDs ("docker://...")
 */
public record PodObservation(List<ContainerInfo> containers, Set<String> ready, Set<String> started,
    Map<String, Waiting> waiting, Set<String> willRestart, String podIp, String hostIp, boolean terminating,
    Instant now, String runtime) {}
