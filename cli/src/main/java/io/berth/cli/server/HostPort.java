package io.berth.cli.server;

import io.berth.cli.UserError;
import java.net.InetSocketAddress;

/** A HOST:PORT flag value, checked with a message that names the flag. */
public record HostPort(String host, int port) {
  public static HostPort parse(String flag, String value) {
    int colon = value == null ? -1 : value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new UserError(flag + " must be HOST:PORT, got '" + value + "'");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UserError(flag + " has a port that is not a number: '" + value + "'");
    }
    if (port < 0 || port > 65535) {
      throw new UserError(flag + " has a port out of range: '" + value + "'");
    }
    return new HostPort(value.substring(0, colon), port);
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
