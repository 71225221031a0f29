package io.berth.agent.node;

import io.fabric8.kubernetes.api.model.Taint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the agent says about its node.
 *
 * @param name the Node's name
 * @param address its InternalIP: where pods' ports are published and the agent's port listens
 * @param agentPort the agent's HTTP port (logs), published as status.daemonEndpoints.kubeletEndpoint
 * @param labels labels beside kubernetes.io/hostname
 * @param taints taints to register with
 * @param reservedCpuMillis CPU kept back from pods (capacity minus this is allocatable)
 * @param reservedMemoryBytes memory kept back from pods
 * @param maxPods the pods capacity
 * @param heartbeatPeriod how often the Lease is renewed and the conditions reported
 * @param dataDir where the agent keeps its data (DiskPressure watches its file system)
 */
public record NodeConfig(String name, String address, int agentPort, Map<String, String> labels, List<Taint> taints,
    long reservedCpuMillis, long reservedMemoryBytes, int maxPods, Duration heartbeatPeriod, Path dataDir) {}
