package io.berth.agent.pods;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Node ports for pods' declared container ports that give no hostPort (DESIGN.md decision 5):
 * taken from a range, skipping ports other pods of this node hold and ports something else
 * on the node address already listens on.
 */
public final class PortAllocator {
  private final String address;
  private final int first;
  private final int last;
  private final Set<Integer> held = new HashSet<>();
  private int next;

  public PortAllocator(String address, int first, int last) {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("not a port range: " + first + "-" + last);
    }
    this.address = address;
    this.first = first;
    this.last = last;
    this.next = first;
  }

  /** Marks a port as held (a pod adopted after a restart, or a declared hostPort). */
  public synchronized void hold(int port) {
    held.add(port);
  }

  public synchronized void release(int port) {
    held.remove(port);
  }

  /** A free port of the range, now held; throws when every port of the range is taken. */
  public synchronized int allocate() {
    int size = last - first + 1;
    for (int i = 0; i < size; i++) {
      int port = next;
      next = next == last ? first : next + 1;
      if (!held.contains(port) && bindable(port)) {
        held.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free port left in " + first + "-" + last + " on " + address);
  }

  private boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
