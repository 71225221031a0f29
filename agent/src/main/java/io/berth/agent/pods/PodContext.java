package io.berth.agent.pods;

import io.berth.agent.AgentMetrics;
import io.berth.agent.probes.Prober;
import io.berth.agent.runtime.ContainerRuntime;
import io.berth.client.ResourceClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;

/**
 * What every pod worker of an agent shares.
 *
 * @param node the node's name
 * @param nodeAddress the node's address: pods' IP and where their ports are published
 * @param pods the pods API (all namespaces)
 * @param resync how often an idle worker looks again without being woken
 * @param drain the wait between "not ready" and SIGTERM when a pod is deleted
 * @param events the Events written about pods (kubectl describe pod)
 */
public record PodContext(String node, String nodeAddress, ContainerRuntime runtime, ResourceClient<Pod> pods,
    ContainerSpecs specs, Volumes volumes, PortAllocator ports, Prober prober, AgentMetrics metrics,
    CrashLoopBackoff backoff, Clock clock, Duration resync, TrafficDrain drain,
    PodEvents events) {}
