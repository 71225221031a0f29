package io.berth.apiserver.defaulting;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/**
 * apps/v1 defaults: one replica; for a Deployment a rolling update of 25% surge and 25%
 * unavailable, ten old ReplicaSets kept for rollback and ten minutes to make progress;
 * and the pod spec defaults in the template.
 */
public final class WorkloadDefaults {
  private static final String QUARTER = "25%";

  private WorkloadDefaults() {}

  public static void deployment(Deployment deployment) {
    DeploymentSpec spec = deployment.getSpec();
    if (spec == null) {
      return;
    }
    spec.setReplicas(PodSpecDefaults.orDefault(spec.getReplicas(), 1));
    spec.setRevisionHistoryLimit(PodSpecDefaults.orDefault(spec.getRevisionHistoryLimit(), 10));
    spec.setProgressDeadlineSeconds(PodSpecDefaults.orDefault(spec.getProgressDeadlineSeconds(), 600));
    if (spec.getStrategy() == null) {
      spec.setStrategy(new DeploymentStrategy());
    }
    DeploymentStrategy strategy = spec.getStrategy();
    strategy.setType(PodSpecDefaults.orDefault(strategy.getType(), "RollingUpdate"));
    if (strategy.getType().equals("RollingUpdate")) {
      if (strategy.getRollingUpdate() == null) {
        strategy.setRollingUpdate(new RollingUpdateDeployment());
      }
      RollingUpdateDeployment rolling = strategy.getRollingUpdate();
      if (rolling.getMaxSurge() == null) {
        rolling.setMaxSurge(new IntOrString(QUARTER));
      }
      if (rolling.getMaxUnavailable() == null) {
        rolling.setMaxUnavailable(new IntOrString(QUARTER));
      }
    }
    if (spec.getTemplate() != null) {
      PodSpecDefaults.apply(spec.getTemplate().getSpec());
    }
  }

  public static void replicaSet(ReplicaSet replicaSet) {
    if (replicaSet.getSpec() == null) {
      return;
    }
    replicaSet.getSpec().setReplicas(PodSpecDefaults.orDefault(replicaSet.getSpec().getReplicas(), 1));
    if (replicaSet.getSpec().getTemplate() != null) {
      PodSpecDefaults.apply(replicaSet.getSpec().getTemplate().getSpec());
    }
  }
}
