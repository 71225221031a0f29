package io.berth.agent.pods;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The step between "not ready" and SIGTERM in a graceful termination. A pod that receives
 * SIGTERM while an ingress still routes to it fails the requests on their way; Kubernetes
 * leaves that gap to a {@code preStop: sleep} in every manifest, because the kubelet cannot
 * tell when the proxies have caught up. The agent can see what they see: it waits until no
 * Endpoints object lists the pod as a ready address (the Endpoints controller moves it out
 * once the agent has reported it not ready), then for {@code propagation} more, the time the
 * other watchers (ingresses, the node-port proxies) need to apply the same change. A pod that
 * no Endpoints ever listed stops at once. The whole wait is bounded by {@code maxWait} and by
 * the pod's own deadline, so a control plane without an Endpoints controller delays a deletion
 * but never blocks it.
 */
public final class TrafficDrain {
  private static final Duration POLL = Duration.ofMillis(50);

  private final Function<String, List<Endpoints>> endpointsInNamespace;
  private final Duration propagation;
  private final Duration maxWait;
  private final Clock clock;

  /**
   * @param endpointsInNamespace the Endpoints of a namespace as the agent's informer has them
   * @param propagation how long after the agent saw the change the other watchers have it too
   * @param maxWait the longest a termination waits here, whatever the pod's grace period
   */
  public TrafficDrain(Function<String, List<Endpoints>> endpointsInNamespace, Duration propagation, Duration maxWait,
      Clock clock) {
    this.endpointsInNamespace = endpointsInNamespace;
    this.propagation = propagation;
    this.maxWait = maxWait;
    this.clock = clock;
  }

  /** A drain that does not wait: for agents without an Endpoints informer (and tests that do not care). */
  public static TrafficDrain none() {
    return new TrafficDrain(namespace -> List.of(), Duration.ZERO, Duration.ZERO, Clock.systemUTC());
  }

  /**
   * Waits until traffic has stopped being sent to {@code pod}, or until the earlier of
   * {@code maxWait} from now and {@code deadline}; returns what it found.
   */
  public Outcome await(Pod pod, Instant deadline) throws InterruptedException {
    Instant start = clock.instant();
    Instant limit = earliest(start.plus(maxWait), deadline);
    if (!routedTo(pod)) {
      return new Outcome(false, true, Duration.ZERO);
    }
    while (routedTo(pod)) {
      if (!clock.instant().isBefore(limit)) {
        return new Outcome(true, false, Duration.between(start, clock.instant()));
      }
      Thread.sleep(POLL.toMillis());
    }
    Duration settle = Duration.between(clock.instant(), earliest(clock.instant().plus(propagation), limit));
    if (settle.isPositive()) {
      Thread.sleep(settle.toMillis());
    }
    return new Outcome(true, true, Duration.between(start, clock.instant()));
  }

  /** Whether any Endpoints of the pod's namespace lists it among the ready addresses. */
  boolean routedTo(Pod pod) {
    String uid = pod.getMetadata().getUid();
    for (Endpoints endpoints : endpointsInNamespace.apply(pod.getMetadata().getNamespace())) {
      for (EndpointSubset subset : nullToEmpty(endpoints.getSubsets())) {
        for (EndpointAddress address : nullToEmpty(subset.getAddresses())) {
          if (address.getTargetRef() != null && uid.equals(address.getTargetRef().getUid())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * What a drain found.
   *
   * @param wasRouted whether an Endpoints listed the pod when the termination began
   * @param drained whether it was out of every Endpoints before the wait ran out
   * @param waited how long the termination waited here
   */
  public record Outcome(boolean wasRouted, boolean drained, Duration waited) {}

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
