package io.berth.cli.server;

import io.berth.client.Client;
import io.berth.controllers.ClusterControllers;
import io.berth.controllers.ControllerManager;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.deployment.DeploymentController;
import io.berth.controllers.replicaset.ReplicaSetController;
import io.berth.election.ElectionMetrics;
import io.berth.election.ElectionSettings;
import io.berth.election.FencingToken;
import io.berth.election.LeaderCallbacks;
import io.berth.election.LeaderElector;
import io.berth.election.Leadership;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller-manager part of a {@code berth server} (ReplicaSet, Deployment, Endpoints,
 * node lifecycle, garbage collector, Namespace, pod GC): every replica keeps the
 * controllers' informers warm, and the one that wins the berth-controller-manager
 * election runs the controllers, writing through a client that carries its fencing
 * token, so that once it is deposed nothing it still tries can land.
 */
final class ControllerManagerRole implements AutoCloseable {
  static final String COMPONENT = "berth-controller-manager";
  private static final Logger log = LoggerFactory.getLogger(ControllerManagerRole.class);

  private final ControllerManager manager;
  private final LeaderElector elector;

  private ControllerManagerRole(ControllerManager manager, LeaderElector elector) {
    this.manager = manager;
    this.elector = elector;
  }

  /**
   * @param identity the replica's name, shown as the holder of the kube-system Lease
   * @param client this replica's own API: reads and fenced writes go there
   * @param informers the process' shared informers (the caller starts them once every role
   *     has subscribed)
   * @param storeTls the certificate shown to the store, or null when it is plaintext
   * @param storeEndpoint this replica's etcd endpoint, where the campaign is held: a
   *     replica cut off from the store's quorum loses its leadership with it
   * @param rootCaPem the cluster CA to publish in every namespace as kube-root-ca.crt, or null
   *     (a plaintext cluster has none)
   */
  static ControllerManagerRole start(String identity, Client client, SharedInformers informers, String storeEndpoint,
      io.berth.store.tls.StoreTls storeTls,
      ElectionSettings settings, ClusterControllers.Settings controllerSettings, ElectionMetrics electionMetrics,
      PrometheusRegistry registry, String rootCaPem) {
    ControllerManager.Builder builder = ControllerManager.builder(informers)
        .controller(new ReplicaSetController(informers))
        .controller(new DeploymentController(informers))
        .registry(registry);
    if (rootCaPem != null) {
      builder.controller(new io.berth.controllers.rootca.RootCaPublisher(informers, rootCaPem));
    }
    ControllerManager manager = ClusterControllers.register(builder, informers, controllerSettings)
        .build();
    LeaderElector elector = LeaderElector.builder()
        .component(COMPONENT)
        .identity(identity)
        .storeEndpoints(List.of(storeEndpoint))
        .storeDial(storeTls == null ? null : target -> io.berth.store.tls.StoreTls.channel(target, storeTls))
        .settings(settings)
        .apiClient(client)
        .metrics(electionMetrics)
        .callbacks(new LeaderCallbacks() {
          @Override
          public void onStartedLeading(FencingToken token, Leadership leadership) {
            log.info("{} leads the controllers (fencing token {})", identity, token.headerValue());
            try {
              manager.start(leadership.fence(client));
            } catch (InterruptedException e) {
              // Leadership ended while the caches were syncing: onStoppedLeading stops the rest.
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void onStoppedLeading() {
            manager.stop();
            log.info("{} no longer leads the controllers", identity);
          }
        })
        .build()
        .start();
    return new ControllerManagerRole(manager, elector);
  }

  @Override
  public void close() {
    elector.close();
    manager.stop();
  }
}
