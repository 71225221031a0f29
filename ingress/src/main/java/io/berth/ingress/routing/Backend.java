package io.berth.ingress.routing;

import io.berth.ingress.balancing.Upstream;
import java.util.List;

/**
 * A Service port an Ingress path leads to, resolved to the ready endpoints behind it.
 *
 * @param name        {@code namespace/service:port}, the key balancing state is kept under
 * @param upstreams   the ready endpoints (node address and published port); empty when none
 * @param unavailable why there is no upstream (service missing, port unknown, nothing ready), or null
 */
public record Backend(String name, List<Upstream> upstreams, String unavailable) {
  public Backend {
    upstreams = List.copyOf(upstreams);
  }

  static Backend unavailable(String name, String reason) {
    return new Backend(name, List.of(), reason);
  }
}
