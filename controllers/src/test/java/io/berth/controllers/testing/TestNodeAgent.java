package io.berth.controllers.testing;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.Informer;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.queue.PerKeyBackoff;
import io.berth.controllers.queue.WorkQueue;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the node agent, for tests only, until the real one exists: it binds every
 * pending pod to a fake node (pods/binding), reports it Running and Ready a little later
 * (status), and finishes graceful deletions at once (delete with grace 0), as an agent does
 * once it has stopped the containers. It never makes a ready pod unready.
 */
public final class TestNodeAgent implements AutoCloseable {
  private final Client client;
  private final String node;
  private final Duration readyDelay;
  private final Informer<Pod> pods;
  private final WorkQueue queue = new WorkQueue("test-agent",
      new PerKeyBackoff(Duration.ofMillis(20), Duration.ofMillis(500)), depth -> {});
  private final Map<String, Instant> boundSeen = new ConcurrentHashMap<>();
  private final List<Thread> workers = new ArrayList<>();

  public TestNodeAgent(Client client, String node, Duration readyDelay) {
    this.client = client;
    this.node = node;
    this.readyDelay = readyDelay;
    this.pods = Informer.builder(client.resource(Resource.POD)).handler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        queue.add(ObjectKeys.key(pod));
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        queue.add(ObjectKeys.key(after));
      }
    }).build();
  }

  public TestNodeAgent start() {
    pods.start();
    for (int i = 0; i < 3; i++) {
      workers.add(Thread.ofPlatform().name("test-agent-" + i).daemon().start(this::work));
    }
    return this;
  }

  @Override
  public void close() {
    queue.shutDown();
    pods.close();
    workers.forEach(Thread::interrupt);
  }

  private void work() {
    try {
      for (String key; (key = queue.get()) != null; ) {
        try {
          step(key);
          queue.forget(key);
        } catch (RuntimeException e) {
          queue.addRateLimited(key);
        } finally {
          queue.done(key);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One step of a pod's life, read fresh from the API: bind, become ready, or finish deleting. */
  private void step(String key) {
    String[] parts = key.split("/", 2);
    ResourceClient<Pod> api = client.resource(Resource.POD).inNamespace(parts[0]);
    Pod pod = api.get(parts[1]).orElse(null);
    if (pod == null) {
      boundSeen.remove(key);
      return;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      try {
        api.delete(parts[1], new DeleteOptionsBuilder().withGracePeriodSeconds(0L).withNewPreconditions()
            .withUid(pod.getMetadata().getUid()).endPreconditions().build());
      } catch (ApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
      return;
    }
    if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
      client.post("/api/v1/namespaces/" + parts[0] + "/pods/" + parts[1] + "/binding",
          new BindingBuilder().withNewMetadata().withName(parts[1]).endMetadata()
              .withNewTarget().withKind("Node").withName(node).endTarget().build(), Status.class);
      return;
    }
    if ("Running".equals(pod.getStatus().getPhase())) {
      return;
    }
    Instant seen = boundSeen.computeIfAbsent(key, k -> Instant.now());
    Duration left = Duration.between(Instant.now(), seen.plus(readyDelay));
    if (!left.isNegative() && !left.isZero()) {
      queue.addAfter(key, left);
      return;
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Pod running = new PodBuilder(pod).editStatus().withPhase("Running").withStartTime(now)
        .withConditions()
        .addNewCondition().withType("PodScheduled").withStatus("True").withLastTransitionTime(now).endCondition()
        .addNewCondition().withType("Initialized").withStatus("True").withLastTransitionTime(now).endCondition()
        .addNewCondition().withType("ContainersReady").withStatus("True").withLastTransitionTime(now).endCondition()
        .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(now).endCondition()
        .withContainerStatuses(pod.getSpec().getContainers().stream().map(c -> new io.fabric8.kubernetes.api.model
            .ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(true)
            .withStarted(true).withRestartCount(0).withNewState().withNewRunning().withStartedAt(now).endRunning()
            .endState().build()).toList())
        .endStatus().build();
    api.updateStatus(running);
  }
}
