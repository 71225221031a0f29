package io.berth.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/**
 * A rolling update's limits in pods for a given size: maxSurge (percentages round up) and
 * maxUnavailable (percentages round down), as Kubernetes resolves them. If both come to
 * zero, one pod may be unavailable, or the rollout could never start.
 */
public record Bounds(int maxSurge, int maxUnavailable) {

  public static Bounds of(Deployment deployment) {
    int replicas = replicas(deployment);
    if (!isRollingUpdate(deployment)) {
      return new Bounds(0, 0);
    }
    RollingUpdateDeployment rolling = deployment.getSpec().getStrategy().getRollingUpdate();
    IntOrString surge = rolling == null ? null : rolling.getMaxSurge();
    IntOrString unavailable = rolling == null ? null : rolling.getMaxUnavailable();
    return of(surge == null ? new IntOrString("25%") : surge, unavailable == null ? new IntOrString("25%")
        : unavailable, replicas);
  }

  public static Bounds of(IntOrString maxSurge, IntOrString maxUnavailable, int replicas) {
    int surge = resolve(maxSurge, replicas, true);
    int unavailable = Math.min(resolve(maxUnavailable, replicas, false), replicas);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new Bounds(surge, unavailable);
  }

  static int resolve(IntOrString value, int replicas, boolean roundUp) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal();
    if (!text.endsWith("%")) {
      return Integer.parseInt(text);
    }
    long percent = Long.parseLong(text.substring(0, text.length() - 1));
    long scaled = percent * replicas;
    return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
  }

  static int replicas(Deployment deployment) {
    Integer replicas = deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  static boolean isRollingUpdate(Deployment deployment) {
    return deployment.getSpec().getStrategy() == null || deployment.getSpec().getStrategy().getType() == null
        || "RollingUpdate".equals(deployment.getSpec().getStrategy().getType());
  }
}
