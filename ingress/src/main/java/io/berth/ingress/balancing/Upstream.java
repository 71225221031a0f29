package io.berth.ingress.balancing;

import java.net.InetSocketAddress;

/**
 * One ready endpoint of a backend: the node address and published port the Endpoints
 * controller wrote (DESIGN.md decision 5: no overlay, a pod is reached on its node).
 */
public record Upstream(String host, int port) {
  public InetSocketAddress socketAddress() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
