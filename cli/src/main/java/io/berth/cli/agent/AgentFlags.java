package io.berth.cli.agent;

import io.berth.cli.UserError;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsing of {@code berth agent}'s structured flags, each error naming its flag. */
final class AgentFlags {
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  private AgentFlags() {}

  /** {@code a=b,c=d}. */
  static Map<String, String> labels(List<String> values) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw new UserError("--labels wants KEY=VALUE pairs, got '" + value + "'");
      }
      labels.put(value.substring(0, eq), value.substring(eq + 1));
    }
    return labels;
  }

  /** {@code key=value:Effect} or {@code key:Effect}, as kubectl taint writes them. */
  static List<Taint> taints(List<String> values) {
    List<Taint> taints = new ArrayList<>();
    for (String value : values) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || !EFFECTS.contains(value.substring(colon + 1))) {
        throw new UserError("--taints wants KEY[=VALUE]:EFFECT with EFFECT one of " + EFFECTS + ", got '" + value + "'");
      }
      String keyValue = value.substring(0, colon);
      int eq = keyValue.indexOf('=');
      taints.add(new TaintBuilder().withKey(eq < 0 ? keyValue : keyValue.substring(0, eq))
          .withValue(eq < 0 ? null : keyValue.substring(eq + 1)).withEffect(value.substring(colon + 1)).build());
    }
    return taints;
  }

  /** A CPU quantity (500m, 1, 0.5) in millicores. */
  static long cpuMillis(String flag, String value) {
    return amount(flag, value).multiply(BigDecimal.valueOf(1000)).longValue();
  }

  /** A memory quantity (256Mi, 1Gi, 1000000) in bytes. */
  static long bytes(String flag, String value) {
    return amount(flag, value).longValue();
  }

  /** {@code FIRST-LAST}. */
  static int[] range(String flag, String value) {
    String[] parts = value.split("-");
    try {
      int first = Integer.parseInt(parts[0].trim());
      int last = Integer.parseInt(parts[1].trim());
      if (parts.length != 2 || first < 1 || last > 65535 || first > last) {
        throw new NumberFormatException();
      }
      return new int[] {first, last};
    } catch (RuntimeException e) {
      throw new UserError(flag + " must be a port range FIRST-LAST such as 40000-44999, got '" + value + "'");
    }
  }

  private static BigDecimal amount(String flag, String value) {
    try {
      BigDecimal amount = Quantity.getAmountInBytes(new Quantity(value));
      if (amount.signum() < 0) {
        throw new IllegalArgumentException("negative");
      }
      return amount;
    } catch (RuntimeException e) {
      throw new UserError(flag + " must be a quantity such as 500m, 2, 256Mi or 1Gi, got '" + value + "'");
    }
  }
}
