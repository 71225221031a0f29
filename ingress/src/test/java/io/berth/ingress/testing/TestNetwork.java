package io.berth.ingress.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A non-loopback address on this machine for upstreams in tests. The API server refuses loopback
 * addresses in Endpoints (as Kubernetes does: traffic must really go there), so test upstreams
 * cannot sit on 127.0.0.1. This fixture creates a network namespace and a veth pair joining it to
 * this one, with a /30 from the benchmarking range 198.18.0.0/15 (RFC 2544): {@link #hostAddress()}
 * is this side's end, where test upstreams listen; nothing outside this machine can reach it.
 * Needs root (CAP_NET_ADMIN) and iproute2; without them the tests that use it are skipped.
 */
public final class TestNetwork implements AutoCloseable {
  private final String namespace;
  private final String hostAddress;

  private TestNetwork(String namespace, String hostAddress) {
    this.namespace = namespace;
    this.hostAddress = hostAddress;
  }

  public static TestNetwork create() throws IOException, InterruptedException {
    int id = ThreadLocalRandom.current().nextInt(1 << 16);
    String suffix = String.format("%04x", id);
    String namespace = "berth-ingress-" + suffix;
    String hostEnd = "bih" + suffix;
    String nsEnd = "bin" + suffix;
    int block = id % 64 * 4; // a /30 within 198.18.<subnet>.0/24
    String prefix = "198.18." + (id / 64 % 256) + ".";
    String hostAddress = prefix + (block + 1);
    boolean created = run("ip", "netns", "add", namespace);
    Assumptions.assumeTrue(created, "cannot create a network namespace (needs root and iproute2): "
        + "tests with upstreams on a non-loopback address are skipped");
    TestNetwork network = new TestNetwork(namespace, hostAddress);
    boolean ok = run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd, "netns", namespace)
        && run("ip", "addr", "add", hostAddress + "/30", "dev", hostEnd)
        && run("ip", "link", "set", hostEnd, "up")
        && run("ip", "-n", namespace, "addr", "add", prefix + (block + 2) + "/30", "dev", nsEnd)
        && run("ip", "-n", namespace, "link", "set", nsEnd, "up");
    if (!ok) {
      network.close();
      throw new IOException("could not set up the veth pair of " + namespace);
    }
    return network;
  }

  /** This side's address of the pair: listen here, write it into Endpoints. */
  public String hostAddress() {
    return hostAddress;
  }

  @Override
  public void close() {
    // Deleting the namespace deletes the veth pair with it.
    run("ip", "netns", "del", namespace);
  }

  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
