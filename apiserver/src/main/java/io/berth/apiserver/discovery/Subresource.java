package io.berth.apiserver.discovery;

import io.berth.apiserver.registry.ResourceType;
import java.util.List;

/**
 * A subresource as discovery lists it (pods/log, deployments/scale): its name, the kind
 * its responses carry (autoscaling/v1 Scale for scale) and its verbs.
 */
record Subresource(String name, String group, String version, String kind, List<String> verbs) {
  Subresource {
    verbs = List.copyOf(verbs);
  }

  /**
   * The subresources of a resource. The resource table does not list any yet (they are being
   * added to ResourceType); once it does, this is the one place that reads them from the row,
   * and both discovery forms render whatever it returns.
   */
  static List<Subresource> of(ResourceType type) {
    return List.of();
  }
}
