package io.berth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The store benchmark: the same etcd v3 load generator measures each target, one at a
 * time, into a results file ({@code measure}); {@code report} puts the targets side by
 * side with ratios. scripts/bench-store.sh runs etcd and Berth clusters and drives both.
 */
@Command(name = "store-benchmark", mixinStandardHelpOptions = true,
    subcommands = {StoreBenchmark.Measure.class, StoreBenchmark.Report.class},
    description = "Benchmark an etcd v3 API endpoint set and compare targets.")
public final class StoreBenchmark {

  public static void main(String[] args) {
    System.exit(new CommandLine(new StoreBenchmark()).execute(args));
  }

  @Command(name = "measure", mixinStandardHelpOptions = true,
      description = "Run every workload against one cluster and save the results.")
  static final class Measure implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "Target name, e.g. berth or etcd.")
    String name;

    @Option(names = "--endpoints", required = true, description = "Comma-separated host:port client endpoints.")
    String endpoints;

    @Option(names = "--out", required = true, description = "Results file to write.")
    Path out;

    @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class,
        description = "Warm-up per row before measuring (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "6s", converter = DurationConverter.class,
        description = "Measured time per row (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--target-warmup", defaultValue = "5s", converter = DurationConverter.class,
        description = "Unrecorded mixed load before the first row (default: ${DEFAULT-VALUE}).")
    Duration targetWarmup;

    @Option(names = "--channels-per-endpoint", defaultValue = "2",
        description = "gRPC connections per endpoint (default: ${DEFAULT-VALUE}).")
    int channelsPerEndpoint;

    @Override
    public Integer call() throws Exception {
      try (Target target = Target.connect(name, endpoints, channelsPerEndpoint)) {
        System.out.println(target.placement());
        Results results = new Workloads(target, warmup, duration, System.out).runAll(targetWarmup);
        results.note(name + ": " + targetWarmup.toMillis() / 1000.0 + " s of unrecorded load first, then "
            + warmup.toMillis() / 1000.0 + " s warm-up and " + duration.toMillis() / 1000.0 + " s measured per row");
        results.save(out);
      }
      return 0;
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Print two targets' results side by side with the ratio subject/baseline.")
  static final class Report implements Callable<Integer> {
    @Option(names = "--subject", required = true, description = "Results file of the system under test (Berth).")
    Path subject;

    @Option(names = "--baseline", required = true, description = "Results file of the reference (etcd).")
    Path baseline;

    @Option(names = "--markdown", description = "Also write the table as Markdown to this file.")
    Path markdown;

    @Override
    public Integer call() throws Exception {
      Results s = Files.exists(subject) ? Results.load(subject) : null;
      Results b = Files.exists(baseline) ? Results.load(baseline) : null;
      if (s == null && b == null) {
        System.err.println("no results: neither " + subject + " nor " + baseline + " exists");
        return 1;
      }
      ComparisonTable table = new ComparisonTable(s, b);
      System.out.print(table.text());
      if (markdown != null) {
        Files.writeString(markdown, table.markdown());
      }
      return 0;
    }
  }

  /** Parses 500ms, 2s, 1m or a plain number of seconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim();
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      }
      if (v.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }
  }
}
