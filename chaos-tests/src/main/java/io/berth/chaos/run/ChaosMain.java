package io.berth.chaos.run;

import io.berth.chaos.cluster.BerthHome;
import io.berth.chaos.cluster.ChaosCluster;
import io.berth.chaos.nemesis.Nemeses;
import io.berth.chaos.workload.Workload;
import io.berth.chaos.workload.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code make chaos}: one long chaos run against replicas in containers, with its report. */
@Command(name = "berth-chaos", mixinStandardHelpOptions = true,
    description = "Runs workloads against Berth replicas in containers while nemeses inject faults, then checks"
        + " the history and writes a report (history, faults, verdicts, summary, latency plot).")
public final class ChaosMain implements Callable<Integer> {

  @Option(names = "--replicas", defaultValue = "3", description = "Replicas in the cluster: 3 or 5 (default ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--duration", defaultValue = "600", description = "Seconds of fault rounds (default ${DEFAULT-VALUE}).")
  long durationSeconds;

  @Option(names = "--fault-seconds", defaultValue = "10", description = "How long each fault lasts (default ${DEFAULT-VALUE}).")
  long faultSeconds;

  @Option(names = "--heal-seconds", defaultValue = "10", description = "Healed time between faults (default ${DEFAULT-VALUE}).")
  long healSeconds;

  @Option(names = "--quiet-seconds", defaultValue = "15",
      description = "After the last heal, how long clients go on before the checks (default ${DEFAULT-VALUE}).")
  long quietSeconds;

  @Option(names = "--seed", description = "Seed of every random choice (default: a new one, printed).")
  Long seed;

  @Option(names = "--nemesis", defaultValue = "all",
      description = "Comma-separated nemeses, or all (default ${DEFAULT-VALUE}): partition-halves, partition-leader,"
          + " partition-ring, partition-bridge, kill-random, kill-leader, pause-random, pause-leader, member-remove-add.")
  String nemeses;

  @Option(names = "--workload", defaultValue = "all",
      description = "Comma-separated workloads, or all: register, set, watch, election, control-plane (default ${DEFAULT-VALUE}).")
  String workloads;

  @Option(names = "--combine", defaultValue = "true", negatable = true,
      description = "Let one round inject a network and a process fault together (default ${DEFAULT-VALUE}).")
  boolean combine;

  @Option(names = "--results", description = "Results folder (default: chaos-results/<date-time>).")
  Path results;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // The running command line, so that picocli reports the error on its own error stream.
    CommandLine commandLine = spec.commandLine();
    if (replicas != 3 && replicas != 5) {
      throw new CommandLine.ParameterException(commandLine, "--replicas must be 3 or 5, not " + replicas);
    }
    List<Workload> chosen;
    try {
      Nemeses.parse(nemeses);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine, "--nemesis: " + e.getMessage());
    }
    try {
      chosen = Workloads.parse(workloads);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine, "--workload: " + e.getMessage());
    }
    if (durationSeconds <= 0 || faultSeconds <= 0 || healSeconds < 0 || quietSeconds < 0) {
      throw new CommandLine.ParameterException(commandLine,
          "--duration and --fault-seconds must be positive, --heal-seconds and --quiet-seconds not negative");
    }
    long runSeed = seed != null ? seed : new Random().nextLong() & Long.MAX_VALUE;
    Path folder = results != null ? results : Path.of("chaos-results",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    System.out.println("berth-chaos: seed " + runSeed + " (repeat with --seed " + runSeed + "), results in " + folder);
    RunOptions options = new RunOptions(runSeed, Duration.ofSeconds(durationSeconds), Duration.ofSeconds(faultSeconds),
        Duration.ofSeconds(healSeconds), Duration.ofSeconds(quietSeconds), nemeses, combine, folder);
    try (ChaosCluster cluster = ChaosCluster.start(replicas, BerthHome.find(), folder.resolve("logs"))) {
      ChaosRun.RunResult result = ChaosRun.run(cluster, chosen, options);
      System.out.println(result.summary());
      System.out.println("berth-chaos: seed " + runSeed + "; " + (result.valid() ? "no anomaly found"
          : "ANOMALIES FOUND:\n" + result.problems()));
      return result.valid() ? 0 : 1;
    }
  }

  public static void main(String[] args) {
    // Testcontainers 2.0 asks the engine for API 1.44; Debian 12's docker.io (20.10) speaks
    // 1.41, which newer engines accept too. The tests set the same through failsafe.
    if (System.getProperty("api.version") == null) {
      System.setProperty("api.version", "1.41");
    }
    System.exit(new CommandLine(new ChaosMain()).execute(args));
  }
}
