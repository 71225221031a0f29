package io.berth.election;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * The election's state shown as a coordination.k8s.io/v1 Lease in kube-system, named for
 * the component, so {@code kubectl get lease -n kube-system} shows who leads and when it
 * last renewed. It is for people and tools: no election reads it. The leader writes it
 * through the API with its fencing token, so a deposed leader cannot overwrite it.
 */
final class LeaseMirror {
  static final String NAMESPACE = "kube-system";

  private final ResourceClient<Lease> leases;
  private final String component;
  private final String identity;
  private final int durationSeconds;
  private final Clock clock;

  LeaseMirror(Client fenced, String component, String identity, ElectionSettings settings, Clock clock) {
    this.leases = fenced.resource(Resource.LEASE).inNamespace(NAMESPACE);
    this.component = component;
    this.identity = identity;
    this.durationSeconds = Math.toIntExact(settings.ttl().toSeconds());
    this.clock = clock;
  }

  /**
   * Makes the Lease say this replica holds it as of now: creates it, takes it over from
   * another holder (acquireTime now, one more transition), or renews it.
   *
   * @throws ApiException a conflict with a concurrent writer, or a stale token; the next sync retries
   */
  void sync() {
    ZonedDateTime now = ZonedDateTime.now(clock);
    Optional<Lease> existing = leases.get(component);
    if (existing.isEmpty()) {
      leases.create(new LeaseBuilder()
          .withNewMetadata().withName(component).withNamespace(NAMESPACE).endMetadata()
          .withNewSpec()
          .withHolderIdentity(identity).withLeaseDurationSeconds(durationSeconds)
          .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0)
          .endSpec()
          .build());
      return;
    }
    Lease lease = existing.get();
    LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
    if (!Objects.equals(spec.getHolderIdentity(), identity) || spec.getAcquireTime() == null) {
      int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
      spec.setLeaseTransitions(spec.getHolderIdentity() == null ? transitions : transitions + 1);
      spec.setHolderIdentity(identity);
      spec.setAcquireTime(now);
    }
    spec.setLeaseDurationSeconds(durationSeconds);
    spec.setRenewTime(now);
    lease.setSpec(spec);
    leases.update(lease);
  }
}
