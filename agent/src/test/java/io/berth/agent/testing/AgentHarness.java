package io.berth.agent.testing;

import io.berth.agent.AgentConfig;
import io.berth.agent.NodeAgent;
import io.berth.agent.node.NodeConfig;
import io.berth.agent.pods.CrashLoopBackoff;
import io.berth.agent.runtime.ContainerRuntime;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Starts node agents against a test cluster with settings fast enough for tests (short back-off, quick relist). */
public final class AgentHarness {
  private AgentHarness() {}

  /** A crash loop that waits 1 s, 2 s, then at most 4 s, so that tests see it without waiting minutes. */
  public static final CrashLoopBackoff FAST_BACKOFF = new CrashLoopBackoff(Duration.ofSeconds(1),
      Duration.ofSeconds(4), Duration.ofMinutes(10));

  public static NodeAgent start(List<String> apiUrls, String node, String address, Path dataDir,
      Supplier<ContainerRuntime> runtime, int portRangeFirst) throws Exception {
    NodeConfig nodeConfig = new NodeConfig(node, address, 0, Map.of("berth.io/test", "true"), List.of(), 100,
        64L << 20, 110, Duration.ofSeconds(1), dataDir);
    AgentConfig config = new AgentConfig(apiUrls.stream().map(URI::create).toList(), nodeConfig, portRangeFirst,
        portRangeFirst + 99, FAST_BACKOFF, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMillis(500));
    return NodeAgent.start(config, runtime.get(), new PrometheusRegistry());
  }
}
