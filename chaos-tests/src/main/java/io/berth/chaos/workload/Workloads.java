package io.berth.chaos.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every workload by the name options use, with its default settings. */
public final class Workloads {
  private static final Map<String, Supplier<Workload>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("register", RegisterWorkload::defaults);
    BY_NAME.put("set", SetWorkload::defaults);
    BY_NAME.put("watch", WatchWorkload::defaults);
    BY_NAME.put("election", ElectionWorkload::new);
    BY_NAME.put("control-plane", ControlPlaneWorkload::defaults);
  }

  private Workloads() {}

  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** The workloads named, comma-separated; {@code all} for every one. */
  public static List<Workload> parse(String spec) {
    List<Workload> workloads = new ArrayList<>();
    for (String name : spec.split(",")) {
      String trimmed = name.trim();
      if (trimmed.equals("all")) {
        BY_NAME.values().forEach(s -> workloads.add(s.get()));
      } else if (BY_NAME.containsKey(trimmed)) {
        workloads.add(BY_NAME.get(trimmed).get());
      } else {
        throw new IllegalArgumentException("unknown workload '" + trimmed + "'; known: all, "
            + String.join(", ", names()));
      }
    }
    return workloads;
  }
}
