package io.berth.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Client;
import io.berth.client.ListOptions;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.testing.Eventually;
import io.berth.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime on a real 3-replica cluster, with a small controller that marks every
 * ConfigMap it reconciles (annotation "seen") and records an event each time.
 */
class ControllerManagerIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Client client;
  static ResourceClient<ConfigMap> configMaps;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = TestCluster.start(dir, 3);
    client = cluster.client();
    configMaps = client.resource(Resource.CONFIG_MAP).inNamespace("default");
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  /** Marks ConfigMaps; fails the first two reconciles of one named "flaky". */
  static final class Marker implements Controller {
    final SharedInformer<ConfigMap> informer;
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    Marker(SharedInformers informers) {
      informer = informers.forResource(Resource.CONFIG_MAP);
    }

    @Override
    public String name() {
      return "marker";
    }

    @Override
    public Reconciler start(ControllerContext context) {
      context.subscribe(informer, new ResourceEventHandler<>() {
        @Override
        public void onAdd(ConfigMap object) {
          context.queue().add(ObjectKeys.key(object));
        }

        @Override
        public void onUpdate(ConfigMap oldObject, ConfigMap newObject) {
          context.queue().add(ObjectKeys.key(newObject));
        }
      });
      return key -> {
        ConfigMap cached = informer.cache().getByKey(key).orElse(null);
        if (cached == null || !"default".equals(cached.getMetadata().getNamespace())) {
          return Result.done();
        }
        int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (cached.getMetadata().getName().equals("flaky") && attempt <= 2) {
          throw new IllegalStateException("flaky fails its first two reconciles");
        }
        context.events().normal(cached, "Seen", "the marker saw it");
        Map<String, String> annotations = cached.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey("seen")) {
          ConfigMap copy = new ConfigMapBuilder(cached).editMetadata().addToAnnotations("seen", "yes")
              .endMetadata().build();
          context.client().resource(Resource.CONFIG_MAP).update(copy);
        }
        return Result.done();
      };
    }
  }

  @Test
  void aManagerStartedOnWarmCachesReconcilesEverythingThenStopsAndStartsAgain() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (SharedInformers informers = new SharedInformers(client)) {
      Marker marker = new Marker(informers);
      ControllerManager manager = ControllerManager.builder(informers).controller(marker).registry(registry)
          .rateLimiters(() -> io.berth.controllers.queue.RateLimiter.controllerDefault(Duration.ofMillis(200)))
          .build();
      configMaps.create(configMap("before-start"));
      informers.start();
      assertThat(informers.awaitSynced(WAIT)).isTrue();

      manager.start(client);
      configMaps.create(configMap("while-leader"));
      configMaps.create(configMap("flaky"));
      awaitSeen("before-start");
      awaitSeen("while-leader");
      awaitSeen("flaky");

      manager.stop();
      assertThat(manager.isRunning()).isFalse();
      configMaps.create(configMap("while-standby"));
      Thread.sleep(500);
      assertThat(annotations("while-standby")).as("a stopped manager writes nothing").doesNotContainKey("seen");

      manager.start(client);
      awaitSeen("while-standby");
      manager.stop();
    }

    assertThat(counter(registry, "berth_controller_reconciles", "error")).isGreaterThanOrEqualTo(2);
    assertThat(counter(registry, "berth_controller_reconciles", "success")).isGreaterThanOrEqualTo(4);
    assertThat(registry.scrape().stream().map(s -> s.getMetadata().getName()))
        .contains("berth_controller_queue_depth", "berth_controller_reconcile_duration_seconds");
  }

  @Test
  void repeatedEventsAboutOneObjectAreOneEventWithACount() throws Exception {
    try (SharedInformers informers = new SharedInformers(client)) {
      ControllerManager manager = ControllerManager.builder(informers).controller(new Marker(informers))
          .registry(new PrometheusRegistry()).build();
      informers.start();
      manager.start(client);
      configMaps.create(configMap("counted"));
      awaitSeen("counted");
      // Each touch is another reconcile, which records the same event again.
      for (int i = 0; i < 3; i++) {
        ConfigMap current = configMaps.get("counted").orElseThrow();
        configMaps.update(new ConfigMapBuilder(current).addToData("touch", Integer.toString(i)).build());
      }
      ResourceClient<Event> events = client.resource(Resource.EVENT).inNamespace("default");
      ListOptions aboutIt = ListOptions.ALL.withFieldSelector("involvedObject.name=counted,reason=Seen");
      Eventually.await("one event counting every reconcile", WAIT,
          () -> events.list(aboutIt).items().size() == 1 && events.list(aboutIt).items().get(0).getCount() >= 4,
          () -> events.list(aboutIt).items());
      Event event = events.list(aboutIt).items().get(0);
      manager.stop();

      assertThat(event.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
      assertThat(event.getSource().getComponent()).isEqualTo("marker-controller");
      assertThat(event.getType()).isEqualTo("Normal");
      assertThat(event.getLastTimestamp()).isNotNull();
    }
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
        .addToData("k", "v").build();
  }

  private static Map<String, String> annotations(String name) {
    Map<String, String> annotations = configMaps.get(name).orElseThrow().getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private static void awaitSeen(String name) throws InterruptedException {
    Eventually.await(name + " marked", WAIT, () -> annotations(name).containsKey("seen"), () -> annotations(name));
  }

  private static double counter(PrometheusRegistry registry, String name, String result) {
    return registry.scrape().stream().filter(s -> s.getMetadata().getName().equals(name))
        .map(CounterSnapshot.class::cast).flatMap(s -> s.getDataPoints().stream())
        .filter(p -> p.getLabels().get("result").equals(result)).mapToDouble(p -> p.getValue()).sum();
  }
}
