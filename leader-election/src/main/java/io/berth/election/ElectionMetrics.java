package io.berth.election;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Prometheus metrics of the electors in a process, labelled by component and identity.
 * Register once per registry and share the instance between electors.
 */
public final class ElectionMetrics {
  private final Gauge leading;
  private final Counter leaderships;
  private final Counter sessionsEnded;

  private ElectionMetrics(PrometheusRegistry registry) {
    Gauge.Builder gauge = Gauge.builder().name("berth_leader_election_leading")
        .help("1 while this replica leads the component's election, else 0").labelNames("component", "identity");
    Counter.Builder won = Counter.builder().name("berth_leader_election_leaderships_total")
        .help("Leaderships won by this replica").labelNames("component", "identity");
    Counter.Builder ended = Counter.builder().name("berth_leader_election_sessions_ended_total")
        .help("Store lease sessions that ended other than by a clean shutdown (keep-alives failed, lease gone)")
        .labelNames("component", "identity");
    if (registry == null) {
      leading = gauge.build();
      leaderships = won.build();
      sessionsEnded = ended.build();
    } else {
      leading = gauge.register(registry);
      leaderships = won.register(registry);
      sessionsEnded = ended.register(registry);
    }
  }

  public static ElectionMetrics register(PrometheusRegistry registry) {
    return new ElectionMetrics(registry);
  }

  /** Metrics that are kept but exported nowhere (tests, or a process without /metrics). */
  public static ElectionMetrics unregistered() {
    return new ElectionMetrics(null);
  }

  void leading(String component, String identity, boolean now) {
    leading.labelValues(component, identity).set(now ? 1 : 0);
    if (now) {
      leaderships.labelValues(component, identity).inc();
    }
  }

  void sessionEnded(String component, String identity) {
    sessionsEnded.labelValues(component, identity).inc();
  }
}
