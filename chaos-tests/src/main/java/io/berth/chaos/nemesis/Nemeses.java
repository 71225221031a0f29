package io.berth.chaos.nemesis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Every nemesis by the name options use. */
public final class Nemeses {
  private static final Map<String, Supplier<Nemesis>> BY_NAME = new LinkedHashMap<>();

  static {
    for (PartitionNemesis.Shape shape : PartitionNemesis.Shape.values()) {
      BY_NAME.put(shape.nemesisName, () -> new PartitionNemesis(shape));
    }
    BY_NAME.put("kill-random", () -> new ProcessNemesis(ProcessNemesis.Action.KILL, false));
    BY_NAME.put("kill-leader", () -> new ProcessNemesis(ProcessNemesis.Action.KILL, true));
    BY_NAME.put("pause-random", () -> new ProcessNemesis(ProcessNemesis.Action.PAUSE, false));
    BY_NAME.put("pause-leader", () -> new ProcessNemesis(ProcessNemesis.Action.PAUSE, true));
    BY_NAME.put("member-remove-add", MembershipNemesis::new);
  }

  private Nemeses() {}

  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** The nemeses named, comma-separated; {@code all} for every one. */
  public static List<Nemesis> parse(String spec) {
    List<Nemesis> nemeses = new ArrayList<>();
    for (String name : spec.split(",")) {
      String trimmed = name.trim();
      if (trimmed.equals("all")) {
        BY_NAME.values().forEach(s -> nemeses.add(s.get()));
      } else if (BY_NAME.containsKey(trimmed)) {
        nemeses.add(BY_NAME.get(trimmed).get());
      } else {
        throw new IllegalArgumentException("unknown nemesis '" + trimmed + "'; known: all, " + String.join(", ", names()));
      }
    }
    return nemeses;
  }
}
