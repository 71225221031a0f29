package io.berth.agent.node;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.PatchType;
import io.berth.client.Resource;
import io.berth.client.transport.Json;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node half of the agent: registers the Node (labels, taints, addresses, capacity and
 * allocatable, runtime version, the agent's port), then every heartbeat period renews the
 * node's Lease in kube-node-lease and reports its conditions (Ready, MemoryPressure,
 * DiskPressure) with a fresh heartbeat time. The node lifecycle controller reads both.
 */
public final class NodeReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeReporter.class);
  private static final String LEASE_NAMESPACE = "kube-node-lease";
  private static final long MEMORY_PRESSURE_BELOW = 100L << 20;
  private static final double DISK_PRESSURE_BELOW = 0.05;

  private final Client client;
  private final NodeConfig config;
  private final String runtimeVersion;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Instant lastHeartbeat;
  private final Map<String, String> transitions = new LinkedHashMap<>();

  public NodeReporter(Client client, NodeConfig config, String runtimeVersion, Clock clock) {
    this.client = client;
    this.config = config;
    this.runtimeVersion = runtimeVersion;
    this.clock = clock;
    this.thread = Thread.ofPlatform().name("agent-heartbeat").daemon().unstarted(this::loop);
  }

  /** Registers the node (failing over between API replicas as the client does) and starts heartbeating. */
  public void start() {
    register();
    heartbeat();
    thread.start();
  }

  /** When the last heartbeat reached the API, or null. */
  public Instant lastHeartbeat() {
    return lastHeartbeat;
  }

  void register() {
    var nodes = client.resource(Resource.NODE);
    Map<String, String> labels = new LinkedHashMap<>(config.labels());
    labels.put("kubernetes.io/hostname", config.name());
    labels.put("kubernetes.io/os", "linux");
    Optional<Node> existing = nodes.get(config.name());
    if (existing.isEmpty()) {
      try {
        nodes.create(new NodeBuilder().withNewMetadata().withName(config.name()).withLabels(labels).endMetadata()
            .withNewSpec().withTaints(config.taints()).endSpec().build());
        log.info("node {} registered ({} labels, {} taints)", config.name(), labels.size(), config.taints().size());
        return;
      } catch (ApiException e) {
        if (!e.isAlreadyExists()) {
          throw e;
        }
      }
    }
    String patch = json(Map.of("metadata", Map.of("labels", labels), "spec", Map.of("taints", config.taints())));
    nodes.patch(config.name(), PatchType.MERGE, patch);
    log.info("node {} registered again (it existed); labels and taints updated", config.name());
  }

  private void loop() {
    while (!closed) {
      try {
        Thread.sleep(config.heartbeatPeriod().toMillis());
      } catch (InterruptedException e) {
        return;
      }
      try {
        heartbeat();
      } catch (RuntimeException e) {
        log.warn("heartbeat of node {} failed (the next one tries again): {}", config.name(), e.toString());
      }
    }
  }

  void heartbeat() {
    renewLease();
    client.resource(Resource.NODE).patchStatus(config.name(), PatchType.MERGE, json(Map.of("status", status())));
    lastHeartbeat = clock.instant();
  }

  private void renewLease() {
    var leases = client.resource(Resource.LEASE).inNamespace(LEASE_NAMESPACE);
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    Optional<Lease> lease = leases.get(config.name());
    int duration = (int) Math.max(40, config.heartbeatPeriod().toSeconds() * 4);
    if (lease.isEmpty()) {
      Node node = client.resource(Resource.NODE).get(config.name()).orElseThrow();
      try {
        leases.create(new LeaseBuilder().withNewMetadata().withName(config.name()).withNamespace(LEASE_NAMESPACE)
            .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                .withName(config.name()).withUid(node.getMetadata().getUid()).build())
            .endMetadata().withNewSpec().withHolderIdentity(config.name()).withLeaseDurationSeconds(duration)
            .withRenewTime(now).endSpec().build());
      } catch (ApiException e) {
        if (!e.isAlreadyExists()) {
          throw e;
        }
      }
      return;
    }
    leases.update(new LeaseBuilder(lease.get()).editSpec().withHolderIdentity(config.name())
        .withLeaseDurationSeconds(duration).withRenewTime(now).endSpec().build());
  }

  NodeStatus status() {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    long cpu = NodeResources.cpuMillis();
    long memory = NodeResources.memoryBytes();
    long available = NodeResources.availableMemoryBytes();
    boolean memoryPressure = available > 0 && available < MEMORY_PRESSURE_BELOW;
    boolean diskPressure = NodeResources.freeDiskFraction(config.dataDir()) < DISK_PRESSURE_BELOW;
    List<NodeCondition> conditions = new ArrayList<>();
    conditions.add(condition("Ready", true, "KubeletReady", "berth agent is posting ready status", now));
    conditions.add(condition("MemoryPressure", memoryPressure,
        memoryPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
        memoryPressure ? "less than 100Mi of memory available" : "enough memory available", now));
    conditions.add(condition("DiskPressure", diskPressure, diskPressure ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
        diskPressure ? "less than 5% of the data dir's disk free" : "enough disk free", now));
    conditions.add(condition("PIDPressure", false, "KubeletHasSufficientPID", "enough PIDs available", now));
    return new NodeStatusBuilder()
        .withConditions(conditions)
        .addNewAddress().withType("InternalIP").withAddress(config.address()).endAddress()
        .addNewAddress().withType("Hostname").withAddress(config.name()).endAddress()
        .withCapacity(Map.of("cpu", new Quantity(cpu + "m"), "memory", new Quantity(memory / 1024 + "Ki"),
            "pods", new Quantity(Integer.toString(config.maxPods()))))
        .withAllocatable(Map.of("cpu", new Quantity(Math.max(0, cpu - config.reservedCpuMillis()) + "m"),
            "memory", new Quantity(Math.max(0, memory - config.reservedMemoryBytes()) / 1024 + "Ki"),
            "pods", new Quantity(Integer.toString(config.maxPods()))))
        .withNewNodeInfo().withContainerRuntimeVersion(runtimeVersion).withKubeletVersion("v1.32.0-berth")
            .withKubeProxyVersion("").withOperatingSystem("linux").withArchitecture(arch())
            .withOsImage(System.getProperty("os.name") + " " + System.getProperty("os.version"))
            .withKernelVersion(System.getProperty("os.version")).withMachineID("").withSystemUUID("")
            .withBootID("").endNodeInfo()
        .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(config.agentPort()).endKubeletEndpoint()
            .endDaemonEndpoints()
        .build();
  }

  private NodeCondition condition(String type, boolean value, String reason, String message, String now) {
    String status = value ? "True" : "False";
    String key = type + "=" + status;
    String since = transitions.computeIfAbsent(key, k -> now);
    transitions.remove(type + "=" + (value ? "False" : "True"));
    return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastHeartbeatTime(now).withLastTransitionTime(since).build();
  }

  private static String arch() {
    String arch = System.getProperty("os.arch");
    return arch.equals("x86_64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch;
  }

  private static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
