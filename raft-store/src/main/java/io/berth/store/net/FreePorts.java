package io.berth.store.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers that are started a little later (berth up's processes,
 * test clusters). Picked below Linux's ephemeral range (32768-60999): a port the kernel
 * hands out for ServerSocket(0) comes from that range, where every outgoing connection
 * also takes its local port, so between the pick and the bind another process's client
 * could take it (and Ratis ends the JVM when its port is taken). Below the range only
 * another server picking the same port can collide.
 */
public final class FreePorts {
  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;
  /**
   * Every port handed out by this JVM: picks made before any of them is bound (berth up picks
   * all its processes' ports first) must not return the same free port twice. A CI run failed
   * so: a server's metrics port was another server's Raft port.
   */
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A port on 127.0.0.1 that was free a moment ago. */
  public static int pick() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      if (isFree(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on loopback", e);
    }
  }

  /** Whether a server could listen on {@code port} of 127.0.0.1 now. */
  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
