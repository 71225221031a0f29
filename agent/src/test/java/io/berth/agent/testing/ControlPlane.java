package io.berth.agent.testing;

import io.berth.client.Client;
import io.berth.controllers.ClusterControllers;
import io.berth.controllers.ControllerManager;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.deployment.DeploymentController;
import io.berth.controllers.replicaset.ReplicaSetController;
import io.berth.controllers.testing.TestCluster;
import io.berth.scheduler.runtime.SchedulerService;
import io.berth.scheduler.runtime.SchedulerSettings;
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
  private final SchedulerService scheduler;

  private ControlPlane(TestCluster cluster, SharedInformers informers, ControllerManager manager,
      SchedulerService scheduler) {
    this.cluster = cluster;
    this.informers = informers;
    this.manager = manager;
    this.scheduler = scheduler;
  }

  public static ControlPlane start(Path dir) throws Exception {
    TestCluster cluster = TestCluster.start(dir, 1);
    Client client = cluster.client();
    SharedInformers informers = new SharedInformers(client);
    ControllerManager.Builder builder = ControllerManager.builder(informers)
        .controller(new ReplicaSetController(informers))
        .controller(new DeploymentController(informers))
        .registry(new PrometheusRegistry());
    ControllerManager manager = ClusterControllers.register(builder, informers, ClusterControllers.Settings.defaults())
        .build();
    SchedulerService scheduler = new SchedulerService(informers,
        SchedulerSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2)), new PrometheusRegistry(),
        java.time.Clock.systemUTC());
    informers.start();
    manager.start(client);
    scheduler.start(client);
    return new ControlPlane(cluster, informers, manager, scheduler);
  }

  public String url() {
    return cluster.url(0);
  }

  public Client client() {
    return cluster.client();
  }

  @Override
  public void close() {
    scheduler.stop();
    manager.stop();
    informers.close();
    cluster.close();
  }
}
