package io.berth.agent;

import io.berth.agent.logs.AgentHttpServer;
import io.berth.agent.logs.ContainerLocator;
import io.berth.agent.node.NodeReporter;
import io.berth.agent.pods.ContainerSpecs;
import io.berth.agent.pods.PodContext;
import io.berth.agent.pods.PodEvents;
import io.berth.agent.pods.PodManager;
import io.berth.agent.pods.DirectPodObjects;
import io.berth.agent.pods.PodObjects;
import io.berth.agent.pods.PortAllocator;
import io.berth.agent.pods.TrafficDrain;
import io.berth.agent.pods.Volumes;
import io.berth.agent.probes.Prober;
import io.berth.agent.runtime.ContainerInfo;
import io.berth.agent.runtime.ContainerRuntime;
import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.events.ApiEventRecorder;
import io.berth.client.events.EventRecorder;
import io.berth.client.informer.IndexedCache;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ResourceEventHandler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: wires the pieces together and runs them.
 *
 * <pre>
 *  API servers --(pods of this node: list+watch)--> PodManager --> PodWorker per pod --> ContainerRuntime
 *       ^                                               ^  relist (containers changed)       (docker | process)
 *       |--- pod status, published ports, final delete -+
 *       |--- Node status + Lease (NodeReporter)
 *  kubectl logs --> API server pods/log --> AgentHttpServer /containerLogs --> runtime logs
 * </pre>
 *
 * Closing the agent stops its loops but leaves its containers running: the next agent on the
 * same node and data adopts them.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
  /** The longest a deleted pod waits for its Endpoints to drop it before SIGTERM (half its grace at most). */
  private static final Duration MAX_DRAIN = Duration.ofSeconds(10);

  private final AgentConfig config;
  private final ContainerRuntime runtime;
  private final Client client;
  private final AgentMetrics metrics;
  private Informer<Pod> pods;
  private Informer<ConfigMap> configMaps;
  private Informer<Secret> secrets;
  private Informer<Endpoints> endpoints;
  private EventRecorder events;
  private PodManager manager;
  private NodeReporter reporter;
  private AgentHttpServer http;

  private NodeAgent(AgentConfig config, ContainerRuntime runtime, PrometheusRegistry registry) {
    this.config = config;
    this.runtime = runtime;
    this.metrics = new AgentMetrics(registry);
    Client.Builder builder = Client.builder().endpoints(config.apiEndpoints()).callTimeout(Duration.ofSeconds(15));
    if (config.apiTls() != null) {
      try {
        builder.tls(config.apiTls());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    this.client = builder.build();
  }

  /** Starts an agent on {@code runtime} (which it closes when it is closed). */
  public static NodeAgent start(AgentConfig config, ContainerRuntime runtime, PrometheusRegistry registry)
      throws IOException, InterruptedException {
    NodeAgent agent = new NodeAgent(config, runtime, registry);
    try {
      agent.run();
    } catch (IOException | InterruptedException | RuntimeException e) {
      agent.close();
      throw e;
    }
    return agent;
  }

  private void run() throws IOException, InterruptedException {
    String node = config.node().name();
    PodObjects objects = mayWatchAllSecrets() ? watchedObjects() : new DirectPodObjects(client);
    // Terminations wait for the routers to drop a pod from its Endpoints (pods/TrafficDrain).
    endpoints = Informer.builder(client.resource(Resource.ENDPOINTS)).build();
    endpoints.start();
    endpoints.awaitSynced(Duration.ofSeconds(30));
    TrafficDrain drain = new TrafficDrain(
        namespace -> endpoints.cache().byIndex(IndexedCache.NAMESPACE_INDEX, namespace),
        config.endpointPropagation(), MAX_DRAIN, Clock.systemUTC());

    events = new ApiEventRecorder(client, "berth-agent", Clock.systemUTC());
    PortAllocator ports = new PortAllocator(config.node().address(), config.portRangeFirst(), config.portRangeLast());
    PodContext ctx = new PodContext(node, config.node().address(), runtime, client.resource(Resource.POD),
        new ContainerSpecs(objects), new Volumes(config.node().dataDir().resolve("pods"), objects,
            new io.berth.agent.pods.RequestedTokens(client, Clock.systemUTC())), ports,
        new Prober(), metrics, config.backoff(), Clock.systemUTC(), config.podResync(), drain, new PodEvents(events));
    pods = Informer.builder(client.resource(Resource.POD)).fieldSelector("spec.nodeName=" + node).build();
    manager = new PodManager(ctx, () -> pods.hasSynced(), config.relistPeriod());
    pods.addHandler(manager);

    // With a certificate of its own the agent serves logs and exec over HTTPS (the API server dials it so).
    boolean tls = config.apiTls() != null && config.apiTls().certFile() != null;
    http = new AgentHttpServer(new InetSocketAddress(config.node().address(), config.node().agentPort()), runtime,
        new Locator(), tls ? config.apiTls() : null).start();
    var nodeConfig = config.node();
    if (nodeConfig.agentPort() == 0) {
      nodeConfig = new io.berth.agent.node.NodeConfig(nodeConfig.name(), nodeConfig.address(), http.port(),
          nodeConfig.labels(), nodeConfig.taints(), nodeConfig.reservedCpuMillis(), nodeConfig.reservedMemoryBytes(),
          nodeConfig.maxPods(), nodeConfig.heartbeatPeriod(), nodeConfig.dataDir());
    }
    reporter = new NodeReporter(client, nodeConfig, runtime.version(), Clock.systemUTC());
    reporter.start();
    pods.start();
    manager.start();
    pods.awaitSynced(Duration.ofSeconds(30));
    log.info("berth agent {} ready: runtime {}, node address {}, agent port {}, {} pods on this node", node,
        runtime.version(), config.node().address(), http.port(), manager.size());
  }

  /**
   * Whether this agent may list every Secret: yes without node authorization, where it
   * watches them all; no under Node authorization, which lets it read only its pods' ones.
   */
  private boolean mayWatchAllSecrets() {
    try {
      client.resource(Resource.SECRET).list(ListOptions.ALL.withLimit(1));
      return true;
    } catch (io.berth.client.ApiException e) {
      if (e.code() == 403) {
        log.info("berth agent {}: may not list secrets (node authorization): reading each pod's secrets and "
            + "config maps when needed", config.node().name());
        return false;
      }
      return true; // not a refusal: the informers wait for the API as they always have
    }
  }

  /** Every ConfigMap and Secret, watched; a change wakes the pods of its namespace. */
  private PodObjects watchedObjects() throws InterruptedException {
    configMaps = Informer.builder(client.resource(Resource.CONFIG_MAP)).handler(wakeOnChange()).build();
    secrets = Informer.builder(client.resource(Resource.SECRET)).handler(wakeOnChange()).build();
    configMaps.start();
    secrets.start();
    configMaps.awaitSynced(Duration.ofSeconds(30));
    secrets.awaitSynced(Duration.ofSeconds(30));
    return new PodObjects() {
      @Override
      public Optional<ConfigMap> configMap(String namespace, String name) {
        return configMaps.cache().get(namespace, name);
      }

      @Override
      public Optional<Secret> secret(String namespace, String name) {
        return secrets.cache().get(namespace, name);
      }
    };
  }

  private <T extends HasMetadata> ResourceEventHandler<T> wakeOnChange() {
    return new ResourceEventHandler<>() {
      @Override
      public void onUpdate(T oldObject, T newObject) {
        if (manager != null) {
          manager.wakeNamespace(newObject.getMetadata().getNamespace());
        }
      }
    };
  }

  /** The agent's HTTP port (logs). */
  public int port() {
    return http.port();
  }

  public ContainerRuntime runtime() {
    return runtime;
  }

  /** Healthy: the node's last heartbeat reached the API within three periods. */
  public boolean healthy() {
    var last = reporter == null ? null : reporter.lastHeartbeat();
    return last != null && last.isAfter(Clock.systemUTC().instant().minus(config.node().heartbeatPeriod()
        .multipliedBy(3)));
  }

  /** Ready: healthy, and its pods are known (the first list arrived). */
  public boolean ready() {
    return healthy() && pods != null && pods.hasSynced();
  }

  private final class Locator implements ContainerLocator {
    @Override
    public Optional<String> find(String namespace, String pod, String container, boolean previous) {
      Optional<Pod> found = pods.cache().get(namespace, pod);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      List<ContainerInfo> attempts = runtime.containersOf(found.get().getMetadata().getUid()).stream()
          .filter(c -> c.name().equals(container))
          .sorted(Comparator.comparingInt(ContainerInfo::attempt).reversed()).toList();
      int index = previous ? 1 : 0;
      return attempts.size() > index ? Optional.of(attempts.get(index).id()) : Optional.empty();
    }

    @Override
    public Optional<String> defaultContainer(String namespace, String pod) {
      return pods.cache().get(namespace, pod).map(p -> p.getSpec().getContainers())
          .filter(c -> c.size() == 1).map(c -> c.get(0).getName());
    }
  }

  @Override
  public void close() {
    if (manager != null) {
      manager.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {pods, configMaps, secrets, endpoints, reporter, http, events}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        log.debug("closing {}: {}", c, e.toString());
      }
    }
    client.close();
    runtime.close();
    log.info("berth agent {} stopped; its containers keep running", config.node().name());
  }
}
