package io.berth.bench;

import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ResourceEventHandler;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * bench-agent's load generator: creates N pods of the test image at once, spread over the
 * given nodes (spec.nodeName, so the scheduler is not measured), and times, from each pod's
 * create call, when the agent reports it Running and Ready (seen through a watch); then runs
 * the same image N times with plain {@code docker run -d}, one after another, timing each
 * until the engine has started it. Prints a Markdown table.
 *
 * <pre>{@code java -cp berth-benchmarks.jar io.berth.bench.AgentBenchmark <api-url> <pods> <node,node,...> <image>}</pre>
 */
public final class AgentBenchmark {
  private static final Duration WAIT = Duration.ofMinutes(3);

  private AgentBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: AgentBenchmark <api-url> <pods> <node,node,...> <image>");
      System.exit(2);
    }
    String api = args[0];
    int count = Integer.parseInt(args[1]);
    List<String> nodes = Arrays.asList(args[2].split(","));
    String image = args[3];
    try (Client client = Client.builder().endpoints(api).callTimeout(Duration.ofSeconds(60)).build()) {
      double[][] pods = pods(client, count, nodes, image);
      double[] docker = dockerRuns(count, image);
      print(count, nodes.size(), image, pods[0], pods[1], docker);
    }
  }

  /** [0]: seconds from create to Running per pod; [1]: to Ready. */
  private static double[][] pods(Client client, int count, List<String> nodes, String image) throws Exception {
    ResourceClient<Pod> pods = client.resource(Resource.POD).inNamespace("default");
    Map<String, Long> created = new ConcurrentHashMap<>();
    Map<String, Long> running = new ConcurrentHashMap<>();
    Map<String, Long> ready = new ConcurrentHashMap<>();
    ResourceEventHandler<Pod> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        seen(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        seen(after);
      }

      private void seen(Pod pod) {
        long now = System.nanoTime();
        String name = pod.getMetadata().getName();
        if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
          running.putIfAbsent(name, now);
        }
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
            .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
          ready.putIfAbsent(name, now);
        }
      }
    };
    try (Informer<Pod> informer = Informer.builder(pods).labelSelector("bench=agent").handler(handler).build()) {
      informer.start();
      informer.awaitSynced(Duration.ofSeconds(30));
      ExecutorService creators = Executors.newFixedThreadPool(16);
      for (int i = 0; i < count; i++) {
        String name = "bench-" + i;
        String node = nodes.get(i % nodes.size());
        creators.submit(() -> {
          created.put(name, System.nanoTime());
          pods.create(pod(name, node, image));
          return null;
        });
      }
      creators.shutdown();
      creators.awaitTermination(2, TimeUnit.MINUTES);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (ready.size() < count && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      if (ready.size() < count) {
        throw new IllegalStateException("only " + ready.size() + " of " + count + " pods Ready after " + WAIT);
      }
    } finally {
      for (int i = 0; i < count; i++) {
        try {
          pods.delete("bench-" + i, new DeleteOptionsBuilder().withGracePeriodSeconds(1L).build());
        } catch (RuntimeException e) {
          // not created, or gone
        }
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!pods.list(ListOptions.ALL.withLabelSelector("bench=agent")).items().isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
    }
    double[] toRunning = new double[count];
    double[] toReady = new double[count];
    for (int i = 0; i < count; i++) {
      String name = "bench-" + i;
      toRunning[i] = (running.get(name) - created.get(name)) / 1e9;
      toReady[i] = (ready.get(name) - created.get(name)) / 1e9;
    }
    return new double[][] {toRunning, toReady};
  }

  private static Pod pod(String name, String node, String image) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("bench", "agent")
        .endMetadata().withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(1L).addNewContainer()
        .withName("web").withImage(image).withImagePullPolicy("IfNotPresent")
        .addNewPort().withContainerPort(8080).endPort()
        .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString(8080)).endHttpGet()
        .withPeriodSeconds(1).endReadinessProbe().endContainer().endSpec().build();
  }

  /** Seconds each `docker run -d` of the image takes until the engine answers that it started it. */
  private static double[] dockerRuns(int count, String image) throws Exception {
    double[] took = new double[count];
    List<String> ids = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        Process run = new ProcessBuilder("docker", "run", "-d", "--label", "berth.io/bench=docker-run", image)
            .redirectErrorStream(true).start();
        String id = new String(run.getInputStream().readAllBytes()).strip();
        if (run.waitFor() != 0) {
          throw new IllegalStateException("docker run failed: " + id);
        }
        took[i] = (System.nanoTime() - start) / 1e9;
        ids.add(id);
      }
    } finally {
      if (!ids.isEmpty()) {
        List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f"));
        rm.addAll(ids);
        new ProcessBuilder(rm).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
            .waitFor(2, TimeUnit.MINUTES);
      }
    }
    return took;
  }

  private static void print(int count, int nodes, String image, double[] running, double[] ready, double[] docker) {
    double dockerP50 = percentile(docker, 50);
    System.out.printf("| measurement | p50 (s) | p99 (s) | max (s) |%n|---|---:|---:|---:|%n");
    row(count + " pods at once on " + nodes + " agents: create -> Running", running);
    row(count + " pods at once on " + nodes + " agents: create -> Ready", ready);
    row("plain `docker run -d` of " + image + ", one by one (" + count + " runs)", docker);
    double dockerTotal = Arrays.stream(docker).sum();
    double allRunning = Arrays.stream(running).max().orElse(0);
    System.out.printf("%nAll %d pods (%d containers with their infra containers) Running %.1f s after the first create; "
        + "the %d plain docker runs one after another took %.1f s in total. Per pod at p50, the agent is %.1fx one "
        + "plain docker run (its pods start all at once and queue at the engine).%n",
        count, 2 * count, allRunning, count, dockerTotal, percentile(running, 50) / dockerP50);
  }

  private static void row(String what, double[] values) {
    System.out.printf("| %s | %.2f | %.2f | %.2f |%n", what, percentile(values, 50), percentile(values, 99),
        Arrays.stream(values).max().orElse(0));
  }

  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
