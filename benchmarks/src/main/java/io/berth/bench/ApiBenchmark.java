package io.berth.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The API benchmark (scripts/bench-api.sh): on one running cluster, create, get, list and
 * update through the Kubernetes API beside the same operations on the etcd API of the
 * store beneath it ({@link ApiWorkloads}), then many watchers on one replica receiving
 * one update ({@link WatchFanout}). Prints both tables and writes them as Markdown.
 */
@Command(name = "api-benchmark", mixinStandardHelpOptions = true,
    description = "Benchmark the Kubernetes API of a running Berth cluster against its store.")
public final class ApiBenchmark implements Callable<Integer> {
  @Option(names = "--api-urls", required = true, split = ",",
      description = "API base URLs, one per replica (http://host:port), in the order of --etcd-endpoints.")
  List<String> apiUrls;

  @Option(names = "--etcd-endpoints", required = true, split = ",",
      description = "The same replicas' etcd endpoints (host:port).")
  List<String> etcdEndpoints;

  @Option(names = "--warmup", defaultValue = "1s", converter = StoreBenchmark.DurationConverter.class,
      description = "Warm-up per row before measuring (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--duration", defaultValue = "5s", converter = StoreBenchmark.DurationConverter.class,
      description = "Measured time per row (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--target-warmup", defaultValue = "20s", converter = StoreBenchmark.DurationConverter.class,
      description = "Unrecorded load on both sides before the first row (default: ${DEFAULT-VALUE}).")
  Duration targetWarmup;

  @Option(names = "--objects", defaultValue = "1000", description = "Objects the get and list rows read (default: ${DEFAULT-VALUE}).")
  int objects;

  @Option(names = "--watchers", defaultValue = "10000", description = "Watch streams on one replica; 0 skips the watch part (default: ${DEFAULT-VALUE}).")
  int watchers;

  @Option(names = "--watch-rounds", defaultValue = "5", description = "Recorded updates the watchers receive (default: ${DEFAULT-VALUE}).")
  int watchRounds;

  @Option(names = "--skip-rows", description = "Only the watch part.")
  boolean skipRows;

  @Option(names = "--markdown", description = "Write the tables as Markdown to this file.")
  Path markdown;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintStream log = System.out;
    BenchNamespaces ns = BenchNamespaces.forRun(System.currentTimeMillis());
    StringBuilder md = new StringBuilder();
    StringBuilder text = new StringBuilder();
    try (Target store = Target.connect("store", String.join(",", etcdEndpoints), 2);
        ApiClients api = new ApiClients(apiUrls, etcdEndpoints, store.endpoints())) {
      log.println(store.placement());
      log.println("api: replicas " + api.replicas() + " (same order: followers first)");
      int maxClients = ApiWorkloads.CLIENTS[ApiWorkloads.CLIENTS.length - 1];
      long[] apiVersions = new ApiSetup(api, ns).run(objects, maxClients);
      if (!skipRows) {
        StoreOperations storeOps = new StoreOperations(store, ns, objects, new long[maxClients]);
        storeOps.prepareUpdates(maxClients);
        api.ensureConnections(maxClients);
        ApiWorkloads rows = new ApiWorkloads(
            List.of(new ApiOperations(api, ns, objects, apiVersions), storeOps), objects, warmup, duration, log);
        rows.warmUp(targetWarmup);
        Results apiResults = new Results("api");
        Results storeResults = new Results("store");
        apiResults.note(store.placement() + "; API clients on the same replicas in the same order");
        apiResults.note(targetWarmup.toMillis() / 1000.0 + " s of unrecorded load first, then "
            + warmup.toMillis() / 1000.0 + " s warm-up and " + duration.toMillis() / 1000.0 + " s measured per row");
        rows.runAll(List.of(apiResults, storeResults));
        ComparisonTable table = new ComparisonTable(apiResults, storeResults, ApiMetrics.all(objects));
        text.append(table.text()).append('\n');
        md.append(table.markdown()).append('\n');
      }
      if (watchers > 0) {
        // A follower: its events come to it through Raft and its own store watch, the longer path.
        WatchFanout.Sample sample = new WatchFanout(api, ns, log).run(watchers, watchRounds, 0);
        WatchReport report = new WatchReport(sample);
        text.append(report.text());
        md.append(report.markdown());
      }
    }
    log.println();
    log.print(text);
    if (markdown != null) {
      Files.writeString(markdown, md);
    }
    return 0;
  }
}
