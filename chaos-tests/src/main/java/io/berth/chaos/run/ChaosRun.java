package io.berth.chaos.run;

import io.berth.chaos.checker.Verdict;
import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.history.History;
import io.berth.chaos.nemesis.NemesisSchedule;
import io.berth.chaos.nemesis.Nemeses;
import io.berth.chaos.report.RunReport;
import io.berth.chaos.workload.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: workloads start, the nemesis schedule breaks and heals the cluster, a quiet period
 * lets it recover, the workloads stop and check what they saw, and the report is written.
 */
public final class ChaosRun {
  private static final Logger log = LoggerFactory.getLogger(ChaosRun.class);

  private ChaosRun() {}

  public static RunResult run(ChaosCluster cluster, List<Workload> workloads, RunOptions options) {
    History history = new History();
    Random random = new Random(options.seed());
    NemesisSchedule schedule = new NemesisSchedule(Nemeses.parse(options.nemeses()), options.faultDuration(),
        options.healDuration(), options.combine());
    String workloadNames = workloads.stream().map(Workload::name).collect(Collectors.joining(","));
    log.info("chaos run: seed {}, workloads {}, nemeses {}, {} of faults", options.seed(), workloadNames,
        options.nemeses(), options.faultTime());

    List<Workload> started = new ArrayList<>();
    int faults;
    try {
      for (Workload workload : workloads) {
        workload.start(cluster, history, options.seed());
        started.add(workload);
      }
      faults = schedule.run(cluster, history, random, options.faultTime());
      log.info("{} faults injected and healed; quiet period of {}", faults, options.quietPeriod());
      ChaosCluster.sleep(options.quietPeriod().toMillis());
    } finally {
      schedule.healAll(cluster);
      started.forEach(Workload::stop);
    }

    List<Verdict> verdicts = new ArrayList<>();
    for (Workload workload : workloads) {
      verdicts.addAll(workload.check(cluster, history));
    }
    Map<String, String> info = new LinkedHashMap<>();
    info.put("seed", Long.toString(options.seed()));
    info.put("replicas", Integer.toString(cluster.replicas().size()));
    info.put("workloads", workloadNames);
    info.put("nemeses", options.nemeses() + (options.combine() ? " (combined)" : ""));
    info.put("fault time", options.faultTime().toSeconds() + " s in rounds of " + options.faultDuration().toSeconds()
        + " s fault + " + options.healDuration().toSeconds() + " s healed");
    info.put("quiet period", options.quietPeriod().toSeconds() + " s");
    info.put("repeat with", "make chaos SEED=" + options.seed() + " WORKLOAD=" + workloadNames
        + " NEMESIS=" + options.nemeses());
    String summary = RunReport.write(options.results(), history, verdicts, info);
    log.info("chaos run finished; results in {}\n{}", options.results(), summary);
    return new RunResult(verdicts, summary, history);
  }

  /** What a run found. */
  public record RunResult(List<Verdict> verdicts, String summary, History history) {
    public boolean valid() {
      return verdicts.stream().allMatch(Verdict::isValid);
    }

    /** The verdicts that are not valid, one per line, for an assertion message. */
    public String problems() {
      return verdicts.stream().filter(v -> !v.isValid())
          .map(v -> v.checker() + ": " + v.validity() + "\n  " + String.join("\n  ", v.anomalies()))
          .collect(Collectors.joining("\n"));
    }
  }
}
