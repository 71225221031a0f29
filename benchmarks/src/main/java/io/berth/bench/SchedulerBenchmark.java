package io.berth.bench;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.scheduler.testing.HollowNodes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The scheduler benchmark (scripts/bench-scheduler.sh), after kube-scheduler's scheduler_perf:
 * on a running 3-replica cluster, register hollow nodes, then create pods in one burst (from
 * several Deployments and as bare pods) and follow them through a pod watch until every one
 * is bound. Everything goes through the replicated store: the creates, the ReplicaSet
 * controller's creates, the scheduler's bindings, the hollow nodes' heartbeats.
 *
 * <p>Measured: pods bound per second over the burst, creation-to-bound latency (the time from
 * the watch showing a pod to the watch showing it bound, both on this process' clock), and the
 * control plane's CPU time and heap. No kube-scheduler or Nomad can run here (no registry, no
 * internet), so the ratios are against their published figures, named in the table.
 */
@Command(name = "scheduler-benchmark", mixinStandardHelpOptions = true,
    description = "Benchmark Berth's scheduler on hollow nodes through a running cluster.")
public final class SchedulerBenchmark implements Callable<Integer> {
  /** kube-scheduler's scheduler_perf throughput floor for 5,000 nodes (SchedulingBasic), pods/s. */
  static final double KUBE_SCHEDULER_PODS_PER_S = 680;
  /** Nomad's C1M: 1,000,000 containers on 5,000 hosts in under 5 minutes (3,750/s). */
  static final double NOMAD_C1M_PER_S = 3750;

  @Option(names = "--api-urls", required = true, split = ",", description = "API base URLs of the replicas.")
  List<String> apiUrls;

  @Option(names = "--metrics-urls", split = ",", description = "The replicas' /metrics URLs (heap, scheduler latency).")
  List<String> metricsUrls = List.of();

  @Option(names = "--pids", split = ",", description = "The replicas' process ids (CPU time from /proc).")
  List<Long> pids = List.of();

  @Option(names = "--nodes", defaultValue = "1000", description = "Hollow nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--pods", defaultValue = "10000", description = "Pods in the burst (default: ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--deployments", defaultValue = "5",
      description = "Deployments the burst's first half comes from; the rest are bare pods (default: ${DEFAULT-VALUE}).")
  int deployments;

  @Option(names = "--creators", defaultValue = "64", description = "Concurrent creating clients (default: ${DEFAULT-VALUE}).")
  int creators;

  @Option(names = "--timeout", defaultValue = "10m", converter = StoreBenchmark.DurationConverter.class,
      description = "Give up when the burst is not bound within this (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--markdown", description = "Write the table as Markdown to this file.")
  Path markdown;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SchedulerBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || pods < 1 || deployments < 0 || creators < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--nodes, --pods and --creators must be positive and --deployments not negative");
    }
    String namespace = "bench-sched-" + Long.toString(System.currentTimeMillis(), 36);
    try (Client client = Client.builder().endpoints(apiUrls.toArray(String[]::new))
        .callTimeout(Duration.ofSeconds(30)).build();
         HollowNodes fleet = new HollowNodes(client, Duration.ofSeconds(10), false)) {
      long registering = System.nanoTime();
      fleet.addNodes("hollow", nodes);
      out.printf("%d hollow nodes registered in %.1f s%n", nodes, seconds(System.nanoTime() - registering));
      client.resource(Resource.NAMESPACE).create(new NamespaceBuilder().withNewMetadata().withName(namespace)
          .endMetadata().build());
      Thread.sleep(2000);                             // let the scheduler's informers see every node

      PodWatch watch = new PodWatch(client, namespace);
      long[] cpuBefore = cpuTicks();
      long start = System.nanoTime();
      Burst burst = new Burst(client, namespace, pods, deployments, creators);
      burst.start();
      long deadline = start + timeout.toNanos();
      long lastReport = start;
      while (watch.bound() < pods && System.nanoTime() < deadline) {
        Thread.sleep(200);
        if (System.nanoTime() - lastReport > 5_000_000_000L) {
          lastReport = System.nanoTime();
          out.printf("  %5.1f s: %d created, %d seen, %d bound%n", seconds(lastReport - start), burst.created(),
              watch.seen(), watch.bound());
        }
      }
      burst.awaitDone();
      long[] cpuAfter = cpuTicks();
      if (watch.bound() < pods) {
        out.printf("only %d of %d pods bound within %s%n", watch.bound(), pods, timeout);
        return 1;
      }
      Report report = new Report(pods, nodes, watch, start, burst, cpuBefore, cpuAfter, metricsUrls);
      String table = report.markdown();
      out.println();
      out.println(table);
      if (markdown != null) {
        Files.writeString(markdown, table);
      }
      watch.close();
      return 0;
    }
  }

  /** Creates the burst: Deployments for the first half (when asked for), bare pods for the rest. */
  static final class Burst {
    private final Client client;
    private final String namespace;
    private final int pods;
    private final int deployments;
    private final ExecutorService creators;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicLong lastCreatedNanos = new AtomicLong();

    Burst(Client client, String namespace, int pods, int deployments, int creators) {
      this.client = client;
      this.namespace = namespace;
      this.pods = pods;
      this.deployments = deployments;
      this.creators = Executors.newFixedThreadPool(creators);
    }

    int fromDeployments() {
      return deployments == 0 ? 0 : pods / 2 / deployments * deployments;
    }

    void start() {
      int perDeployment = deployments == 0 ? 0 : fromDeployments() / deployments;
      for (int d = 0; d < deployments; d++) {
        String name = "web-" + d;
        creators.execute(() -> client.resource(Resource.DEPLOYMENT).inNamespace(namespace).create(
            new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(perDeployment)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withSpec(spec()).endTemplate().endSpec().build()));
      }
      for (int i = 0; i < pods - fromDeployments(); i++) {
        String name = "bare-" + i;
        creators.execute(() -> create(name));
      }
      creators.shutdown();
    }

    private void create(String name) {
      Pod pod = new PodBuilder().withNewMetadata().withName(name).withLabels(Map.of("app", "bare")).endMetadata()
          .withSpec(spec()).build();
      for (int attempt = 0; attempt < 20; attempt++) {
        try {
          client.resource(Resource.POD).inNamespace(namespace).create(pod);
          break;
        } catch (ApiException e) {
          if (e.isAlreadyExists()) {
            break;                                    // an earlier attempt that timed out landed
          }
          if (e.code() != 429 && e.code() < 500) {
            throw e;
          }
        } catch (RuntimeException e) {
          // a timeout: try again
        }
      }
      created.incrementAndGet();
      lastCreatedNanos.accumulateAndGet(System.nanoTime(), Math::max);
    }

    private static PodSpec spec() {
      return new PodSpecBuilder().addNewContainer().withName("c").withImage("busybox")
          .withNewResources().addToRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi")))
          .endResources().endContainer().build();
    }

    int created() {
      return created.get();
    }

    long lastCreatedNanos() {
      return lastCreatedNanos.get();
    }

    void awaitDone() throws InterruptedException {
      creators.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /** When the watch first showed each pod of the namespace, and when it first showed it bound. */
  static final class PodWatch implements AutoCloseable {
    private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
    private final Map<String, Long> boundAt = new ConcurrentHashMap<>();
    private final Informer<Pod> informer;

    PodWatch(Client client, String namespace) throws InterruptedException {
      informer = Informer.builder(client.resource(Resource.POD).inNamespace(namespace))
          .handler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
              observe(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
              observe(after);
            }
          }).build();
      informer.start();
      informer.awaitSynced(Duration.ofSeconds(30));
    }

    private void observe(Pod pod) {
      long now = System.nanoTime();
      String key = ObjectKeys.key(pod);
      seenAt.putIfAbsent(key, now);
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (node != null && !node.isEmpty()) {
        boundAt.putIfAbsent(key, now);
      }
    }

    int seen() {
      return seenAt.size();
    }

    int bound() {
      return boundAt.size();
    }

    Histogram latencies() {
      Histogram histogram = new Histogram(3);
      boundAt.forEach((key, bound) -> histogram.recordValue(Math.max(0, bound - seenAt.get(key)) / 1000));
      return histogram;
    }

    long firstBound() {
      return boundAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
    }

    long lastBound() {
      return boundAt.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    @Override
    public void close() {
      informer.close();
    }
  }

  /** The table. */
  record Report(int pods, int nodes, PodWatch watch, long start, Burst burst, long[] cpuBefore, long[] cpuAfter,
      List<String> metricsUrls) {
    String markdown() {
      Histogram latency = watch.latencies();
      double wholeBurst = seconds(watch.lastBound() - start);
      double podsPerSecond = pods / wholeBurst;
      double createdPerSecond = burst.created() / seconds(burst.lastCreatedNanos() - start);
      long cpuTicks = 0;
      for (int i = 0; i < cpuBefore.length; i++) {
        cpuTicks += cpuAfter[i] - cpuBefore[i];
      }
      double cpuSeconds = cpuTicks / 100.0;                 // USER_HZ
      List<String[]> rows = new ArrayList<>();
      rows.add(row("pods bound per second, whole burst (first create to last bound)", fmt(podsPerSecond),
          ratio(podsPerSecond, KUBE_SCHEDULER_PODS_PER_S), ratio(podsPerSecond, NOMAD_C1M_PER_S)));
      rows.add(row("bare pods created per second by the generator (64 clients, beside the ReplicaSet controller's creates)", fmt(createdPerSecond),
          "", ""));
      rows.add(row("creation-to-bound latency p50 (ms)", ms(latency.getValueAtPercentile(50)), "", ""));
      rows.add(row("creation-to-bound latency p99 (ms)", ms(latency.getValueAtPercentile(99)), "", ""));
      rows.add(row("creation-to-bound latency max (ms)", ms(latency.getMaxValue()), "", ""));
      String algorithm = schedulerAlgorithmMeanMs();
      if (algorithm != null) {
        rows.add(row("scheduling algorithm per pod, mean over the leader's lifetime (ms)", algorithm, "", ""));
      }
      if (cpuBefore.length > 0) {
        rows.add(row("control-plane CPU during the burst (cpu-seconds, all replicas)", fmt(cpuSeconds), "", ""));
        rows.add(row("control-plane CPU per pod bound (ms)", fmt(cpuSeconds * 1000 / pods), "", ""));
      }
      String heap = heapMiB();
      if (heap != null) {
        rows.add(row("control-plane heap used after the burst (MiB per replica)", heap, "", ""));
      }
      StringBuilder md = new StringBuilder();
      md.append("| metric (").append(nodes).append(" hollow nodes, ").append(pods).append(" pods) | Berth | ")
          .append("vs kube-scheduler 680 pods/s | vs Nomad C1M 3,750/s |\n|---|---:|---:|---:|\n");
      for (String[] r : rows) {
        md.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      return md.toString();
    }

    private String schedulerAlgorithmMeanMs() {
      double sum = 0;
      double count = 0;
      for (String url : metricsUrls) {
        String text = scrape(url);
        sum += sample(text, "berth_scheduler_scheduling_algorithm_duration_seconds_sum");
        count += sample(text, "berth_scheduler_scheduling_algorithm_duration_seconds_count");
      }
      return count == 0 ? null : String.format("%.3f", sum / count * 1000);
    }

    private String heapMiB() {
      List<String> values = new ArrayList<>();
      for (String url : metricsUrls) {
        Matcher m = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"\\} (\\S+)").matcher(scrape(url));
        if (m.find()) {
          values.add(String.format("%.0f", Double.parseDouble(m.group(1)) / 1048576));
        }
      }
      return values.isEmpty() ? null : String.join(" / ", values);
    }
  }

  static String[] row(String metric, String value, String vsKube, String vsNomad) {
    return new String[] {metric, value, vsKube, vsNomad};
  }

  static String ratio(double value, double anchor) {
    return String.format("%.2fx", value / anchor);
  }

  static String fmt(double value) {
    return String.format("%.1f", value);
  }

  static String ms(long micros) {
    return String.format("%.1f", micros / 1000.0);
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** utime + stime of each replica, in clock ticks. */
  private long[] cpuTicks() {
    long[] ticks = new long[pids.size()];
    for (int i = 0; i < pids.size(); i++) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pids.get(i)), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks[i] = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      } catch (Exception e) {
        ticks[i] = 0;
      }
    }
    return ticks;
  }

  static String scrape(String url) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.body();
    } catch (Exception e) {
      return "";
    }
  }

  static double sample(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)").matcher(text);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }
}
