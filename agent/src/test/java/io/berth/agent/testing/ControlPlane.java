package io.berth.agent.testing;

import io.berth.client.Client;
import io.berth.controllers.ClusterControllers;
import io.berth.controllers.ControllerManager;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.deployment.DeploymentController;
import io.berth.controllers.replicaset.ReplicaSetController;
import io.berth.controllers.testing.TestCluster;
import io.berth.scheduler.controller.SchedulerController;
import io.berth.scheduler.filters.DefaultFilters;
import io.berth.scheduler.framework.Scheduler;
import io.berth.scheduler.scores.DefaultScores;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A whole control plane in this JVM for the agent's end-to-end tests: a one-replica store with
 * its API server, the workload and Endpoints controllers and the scheduler (no election: one
 * manager leads for the whole test).
 */
public final class ControlPlane implements AutoCloseable {
  private final TestCluster cluster;
  private final SharedInformers informers;
  private final ControllerManager manager;

  private ControlPlane(TestCluster cluster, SharedInformers informers, ControllerManager manager) {
    this.cluster = cluster;
    this.informers = informers;
    this.manager = manager;
  }

  public static ControlPlane start(Path dir) throws Exception {
    TestCluster cluster = TestCluster.start(dir, 1);
    Client client = cluster.client();
    SharedInformers informers = new SharedInformers(client);
    ControllerManager.Builder builder = ControllerManager.builder(informers)
        .controller(new ReplicaSetController(informers))
        .controller(new DeploymentController(informers))
        .controller(new SchedulerController(informers, new Scheduler(DefaultFilters.all(), DefaultScores.all()),
            Duration.ofMillis(100), Duration.ofSeconds(2)))
        .registry(new PrometheusRegistry());
    ControllerManager manager = ClusterControllers.register(builder, informers, ClusterControllers.Settings.defaults())
        .build();
    informers.start();
    manager.start(client);
    return new ControlPlane(cluster, informers, manager);
  }

  public String url() {
    return cluster.url(0);
  }

  public Client client() {
    return cluster.client();
  }

  @Override
  public void close() {
    manager.stop();
    informers.close();
    cluster.close();
  }
}
