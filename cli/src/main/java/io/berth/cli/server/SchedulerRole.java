package io.berth.cli.server;

import io.berth.client.Client;
import io.berth.controllers.SharedInformers;
import io.berth.election.ElectionMetrics;
import io.berth.election.ElectionSettings;
import io.berth.election.FencingToken;
import io.berth.election.LeaderCallbacks;
import io.berth.election.LeaderElector;
import io.berth.election.Leadership;
import io.berth.scheduler.runtime.SchedulerService;
import io.berth.scheduler.runtime.SchedulerSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler part of a {@code berth server}: every replica keeps the scheduler's cache
 * warm from the shared informers, and the one that wins the berth-scheduler election
 * schedules, binding through a client that carries its fencing token, so that once it is
 * deposed no bind it still has in flight can land.
 */
final class SchedulerRole implements AutoCloseable {
  static final String COMPONENT = "berth-scheduler";
  private static final Logger log = LoggerFactory.getLogger(SchedulerRole.class);

  private final SchedulerService scheduler;
  private final LeaderElector elector;

  private SchedulerRole(SchedulerService scheduler, LeaderElector elector) {
    this.scheduler = scheduler;
    this.elector = elector;
  }

  /**
   * @param identity the replica's name, shown as the holder of the kube-system Lease
   * @param client this replica's own API: reads and fenced writes go there
   * @param informers the process' shared informers, not started yet: the scheduler's cache
   *     subscribes before their first list
   * @param storeTls the certificate shown to the store, or null when it is plaintext
   * @param storeEndpoint this replica's etcd endpoint, where the campaign is held
   */
  static SchedulerRole start(String identity, Client client, SharedInformers informers, String storeEndpoint,
      io.berth.store.tls.StoreTls storeTls,
      ElectionSettings electionSettings, SchedulerSettings schedulerSettings, ElectionMetrics electionMetrics,
      PrometheusRegistry registry) {
    SchedulerService scheduler = new SchedulerService(informers, schedulerSettings, registry, Clock.systemUTC());
    LeaderElector elector = LeaderElector.builder()
        .component(COMPONENT)
        .identity(identity)
        .storeEndpoints(List.of(storeEndpoint))
        .storeDial(storeTls == null ? null : target -> io.berth.store.tls.StoreTls.channel(target, storeTls))
        .settings(electionSettings)
        .apiClient(client)
        .metrics(electionMetrics)
        .callbacks(new LeaderCallbacks() {
          @Override
          public void onStartedLeading(FencingToken token, Leadership leadership) {
            log.info("{} leads the scheduler (fencing token {})", identity, token.headerValue());
            try {
              scheduler.start(leadership.fence(client));
            } catch (InterruptedException e) {
              // Leadership ended while the caches were syncing: onStoppedLeading stops the rest.
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void onStoppedLeading() {
            scheduler.stop();
            log.info("{} no longer leads the scheduler", identity);
          }
        })
        .build()
        .start();
    return new SchedulerRole(scheduler, elector);
  }

  @Override
  public void close() {
    elector.close();
    scheduler.close();
  }
}
