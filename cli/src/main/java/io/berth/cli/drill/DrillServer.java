package io.berth.cli.drill;

/**
 * A control-plane server a drill may fault: its member name and the store client endpoint
 * ({@code host:port}) its own status is asked at.
 */
record DrillServer(String name, String clientEndpoint) {
  /** The host part of the endpoint: where a remote command reaches the server. */
  String host() {
    int colon = clientEndpoint.lastIndexOf(':');
    String host = colon < 0 ? clientEndpoint : clientEndpoint.substring(0, colon);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
