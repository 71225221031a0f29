package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.util.Set;

/**
 * Leases (leader election, node heartbeats): a lease must last some time, and its
 * transition count only ever counts up from zero.
 */
final class LeaseValidation {
  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final Set<String> STRATEGIES = Set.of("OldestEmulationVersion");

  private LeaseValidation() {}

  static void lease(Lease lease, Errors errors) {
    LeaseSpec spec = lease.getSpec();
    if (spec == null) {
      return;
    }
    if (spec.getLeaseDurationSeconds() != null && spec.getLeaseDurationSeconds() <= 0) {
      errors.invalid(SPEC.child("leaseDurationSeconds"), spec.getLeaseDurationSeconds(), "must be greater than 0");
    }
    errors.atLeast(SPEC.child("leaseTransitions"), spec.getLeaseTransitions(), 0);
    errors.oneOf(SPEC.child("strategy"), spec.getStrategy(), STRATEGIES);
    if (!MetadataValidation.isEmpty(spec.getPreferredHolder()) && MetadataValidation.isEmpty(spec.getStrategy())) {
      errors.forbidden(SPEC.child("preferredHolder"), "may only be specified if `strategy` is defined");
    }
  }
}
