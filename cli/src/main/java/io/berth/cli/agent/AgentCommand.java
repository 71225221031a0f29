package io.berth.cli.agent;

import io.berth.agent.AgentConfig;
import io.berth.agent.NodeAgent;
import io.berth.agent.node.NodeConfig;
import io.berth.agent.pods.CrashLoopBackoff;
import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.runtime.docker.DockerRuntime;
import io.berth.agent.runtime.process.ProcessRuntime;
import io.berth.cli.UserError;
import io.berth.cli.admin.AdminHttpServer;
import io.berth.cli.server.DurationFlag;
import io.berth.cli.server.HostPort;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth agent}: the node agent of one worker node. */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run the node agent: register this node, heartbeat, and run the pods bound to it.")
public final class AgentCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);

  @Option(names = "--api-endpoints", required = true, split = ",", paramLabel = "URL",
      description = "Kubernetes API URLs of the control-plane replicas, e.g. http://10.0.0.1:6443,http://10.0.0.2:6443; "
          + "calls fail over between them.")
  List<String> apiEndpoints = new ArrayList<>();

  @Option(names = "--node-name", description = "The Node's name (default: this machine's host name).")
  String nodeName;

  @Option(names = "--node-address", defaultValue = "127.0.0.1",
      description = "This node's address: the InternalIP, where pods' ports are published and the agent listens "
          + "(default: ${DEFAULT-VALUE}).")
  String nodeAddress;

  @Option(names = "--listen", defaultValue = "10250", paramLabel = "PORT",
      description = "The agent's port on --node-address, serving container logs to the API server (default: ${DEFAULT-VALUE}).")
  int listenPort;

  @Option(names = "--metrics-listen", defaultValue = "127.0.0.1:10255", paramLabel = "HOST:PORT",
      description = "Where /metrics, /healthz, /readyz and /livez are served (default: ${DEFAULT-VALUE}).")
  String metricsListen;

  @Option(names = "--runtime", defaultValue = "auto",
      description = "docker, process, or auto: docker when an engine answers at --docker-host (default: ${DEFAULT-VALUE}).")
  String runtime;

  @Option(names = "--docker-host", defaultValue = DockerRuntime.DEFAULT_HOST,
      description = "The Docker engine (default: ${DEFAULT-VALUE}).")
  String dockerHost;

  @Option(names = "--infra-image", defaultValue = "berth/busybox:test",
      description = "Image of each pod's infra (sandbox) container on docker; it needs a sleep command "
          + "(default: ${DEFAULT-VALUE}, built by scripts/build-test-images.sh).")
  String infraImage;

  @Option(names = "--labels", split = ",", paramLabel = "KEY=VALUE", description = "Node labels.")
  List<String> labels = new ArrayList<>();

  @Option(names = "--taints", split = ",", paramLabel = "KEY[=VALUE]:EFFECT", description = "Node taints to register with.")
  List<String> taints = new ArrayList<>();

  @Option(names = "--reserved-cpu", defaultValue = "100m",
      description = "CPU kept from pods: allocatable is capacity minus this (default: ${DEFAULT-VALUE}).")
  String reservedCpu;

  @Option(names = "--reserved-memory", defaultValue = "256Mi",
      description = "Memory kept from pods (default: ${DEFAULT-VALUE}).")
  String reservedMemory;

  @Option(names = "--max-pods", defaultValue = "110", description = "The node's pods capacity (default: ${DEFAULT-VALUE}).")
  int maxPods;

  @Option(names = "--heartbeat-period", defaultValue = "10s", paramLabel = "DURATION",
      description = "How often the node Lease is renewed and the node's conditions reported (default: ${DEFAULT-VALUE}).")
  String heartbeatPeriod;

  @Option(names = "--endpoint-propagation-delay", defaultValue = "1s", paramLabel = "DURATION",
      description = "When a pod behind a Service is deleted: how long after it has left the Endpoints the agent still "
          + "waits before SIGTERM, so that ingresses and node-port proxies stop routing to it first (default: "
          + "${DEFAULT-VALUE}; the whole wait is at most 10s and half the pod's grace period).")
  String endpointPropagationDelay;

  @Option(names = "--port-range", defaultValue = "40000-44999", paramLabel = "FIRST-LAST",
      description = "Node ports the agent publishes pods' declared ports on when they give no hostPort "
          + "(default: ${DEFAULT-VALUE}).")
  String portRange;

  @picocli.CommandLine.Mixin
  io.berth.cli.server.ApiClientFlags apiTls = new io.berth.cli.server.ApiClientFlags();

  @Option(names = "--data-dir", required = true,
      description = "The agent's directory: pod volumes and, for the process runtime, pods' working directories and logs.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    String node = nodeName != null ? nodeName : InetAddress.getLocalHost().getHostName().toLowerCase();
    if (apiEndpoints.isEmpty()) {
      throw new UserError("--api-endpoints needs at least one URL");
    }
    List<URI> endpoints = new ArrayList<>();
    for (String e : apiEndpoints) {
      URI uri = URI.create(e.contains("://") ? e : "http://" + e);
      if (uri.getHost() == null || uri.getPort() < 0) {
        throw new UserError("--api-endpoints wants URLs such as http://10.0.0.1:6443, got '" + e + "'");
      }
      endpoints.add(uri);
    }
    HostPort metrics = HostPort.parse("--metrics-listen", metricsListen);
    if (listenPort < 0 || listenPort > 65535) {
      throw new UserError("--listen must be a port, got " + listenPort);
    }
    Duration heartbeat = DurationFlag.parse("--heartbeat-period", heartbeatPeriod);
    if (heartbeat.compareTo(Duration.ofMillis(100)) < 0) {
      throw new UserError("--heartbeat-period must be at least 100ms, got " + heartbeatPeriod);
    }
    Duration endpointPropagation = DurationFlag.parse("--endpoint-propagation-delay", endpointPropagationDelay);
    if (endpointPropagation.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new UserError("--endpoint-propagation-delay must be at most 10s, got " + endpointPropagationDelay);
    }
    int[] range = AgentFlags.range("--port-range", portRange);
    Path data = dataDir.toAbsolutePath();
    Files.createDirectories(data);
    NodeConfig nodeConfig = new NodeConfig(node, nodeAddress, listenPort, AgentFlags.labels(labels),
        AgentFlags.taints(taints), AgentFlags.cpuMillis("--reserved-cpu", reservedCpu),
        AgentFlags.bytes("--reserved-memory", reservedMemory), maxPods, heartbeat, data);
    AgentConfig config = new AgentConfig(endpoints, nodeConfig, range[0], range[1], CrashLoopBackoff.KUBELET,
        Duration.ofSeconds(1), Duration.ofSeconds(10), endpointPropagation, apiTls.files());

    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    NodeAgent[] agent = new NodeAgent[1];
    AdminHttpServer admin;
    try {
      admin = new AdminHttpServer(metrics.socketAddress(), registry,
          () -> agent[0] != null && agent[0].healthy(), () -> agent[0] != null && agent[0].ready()).start();
    } catch (BindException e) {
      throw new UserError("cannot serve metrics on " + metricsListen + " (--metrics-listen): address in use");
    }
    ContainerRuntime chosen = chooseRuntime(node, data);
    try {
      agent[0] = NodeAgent.start(config, chosen, registry);
    } catch (BindException e) {
      admin.close();
      throw new UserError("cannot listen on " + nodeAddress + ":" + listenPort + " (--node-address, --listen): "
          + e.getMessage());
    } catch (RuntimeException e) {
      admin.close();
      throw e;
    }
    // kube-proxy's job, in the same process as on a Kubernetes node: every nodePort of a
    // NodePort or LoadBalancer Service listens on this node's address (DESIGN decision 5).
    io.berth.client.Client proxyClient = apiTls.apply(io.berth.client.Client.builder().endpoints(endpoints)).build();
    io.berth.ingress.nodeport.NodePortProxy nodePorts;
    try {
      nodePorts = io.berth.ingress.nodeport.NodePortProxy.start(proxyClient, nodeAddress, Duration.ofSeconds(60));
    } catch (IllegalStateException e) {
      agent[0].close();
      admin.close();
      proxyClient.close();
      throw new UserError("the NodePort proxy could not list Services and Endpoints from --api-endpoints "
          + endpoints + ": " + e.getMessage());
    }
    log.info("berth agent {}: NodePort proxy on {}", node, nodeAddress);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("berth agent {} shutting down (its containers keep running)", node);
      nodePorts.close();
      proxyClient.close();
      agent[0].close();
      admin.close();
      stopped.countDown();
    }, "berth-agent-shutdown"));
    stopped.await();
    return 0;
  }

  private ContainerRuntime chooseRuntime(String node, Path data) {
    return switch (runtime) {
      case "docker" -> {
        if (!DockerRuntime.reachable(dockerHost)) {
          throw new UserError("--runtime docker: no Docker engine answers at " + dockerHost
              + " (start dockerd, or use --runtime process)");
        }
        yield new DockerRuntime(dockerHost, node, infraImage);
      }
      case "process" -> new ProcessRuntime(data.resolve("process"), node);
      case "auto" -> {
        if (DockerRuntime.reachable(dockerHost)) {
          log.info("--runtime auto: a Docker engine answers at {}; using docker", dockerHost);
          yield new DockerRuntime(dockerHost, node, infraImage);
        }
        log.info("--runtime auto: no Docker engine at {}; using the process runtime", dockerHost);
        yield new ProcessRuntime(data.resolve("process"), node);
      }
      default -> throw new UserError("--runtime must be docker, process or auto, got '" + runtime + "'");
    };
  }
}
