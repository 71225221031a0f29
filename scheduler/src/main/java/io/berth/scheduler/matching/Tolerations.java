package io.berth.scheduler.matching;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/** Whether a pod tolerates a taint. */
public final class Tolerations {
  private Tolerations() {}

  public static boolean tolerates(Pod pod, Taint taint) {
    List<Toleration> tolerations = pod.getSpec() == null ? null : pod.getSpec().getTolerations();
    if (tolerations == null) {
      return false;
    }
    return tolerations.stream().anyMatch(toleration -> matches(toleration, taint));
  }

  /**
   * A toleration matches when its effect is empty or the taint's, and either its key is empty
   * with Exists (everything), or its key is the taint's and it is Exists or Equal (the default)
   * with the taint's value.
   */
  static boolean matches(Toleration toleration, Taint taint) {
    if (!isEmpty(toleration.getEffect()) && !toleration.getEffect().equals(taint.getEffect())) {
      return false;
    }
    boolean exists = "Exists".equals(toleration.getOperator());
    if (isEmpty(toleration.getKey())) {
      return exists;
    }
    if (!toleration.getKey().equals(taint.getKey())) {
      return false;
    }
    return exists || Objects.equals(emptyIfNull(toleration.getValue()), emptyIfNull(taint.getValue()));
  }

  /** "{key: value}", as Kubernetes prints a taint in its messages. */
  public static String describe(Taint taint) {
    return "{" + taint.getKey() + ": " + emptyIfNull(taint.getValue()) + "}";
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  private static String emptyIfNull(String value) {
    return value == null ? "" : value;
  }
}
