package io.berth.chaos.cluster;

import com.github.dockerjava.api.model.Capability;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.DockerImageName;

/**
 * One control-plane replica: a container of its own on the run's network, in which a
 * {@code berth server} is started, killed, paused and cut off. The container outlives the
 * server process (it runs {@code sleep} under Docker's init), so a killed replica restarts on
 * the same data directory and address, as a crashed machine reboots.
 */
public final class Replica implements AutoCloseable {
  static final int CLIENT_PORT = 2379;
  static final int PEER_PORT = 2380;
  static final int API_PORT = 6443;
  static final int METRICS_PORT = 9379;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final GenericContainer<?> container;
  private volatile String memberName;
  private volatile int incarnation = 1;
  private volatile ManagedChannel channel;
  private volatile boolean member = true;

  Replica(String name, Network network, Path berthHome, String runId) {
    this.name = name;
    this.memberName = name;
    this.container = new GenericContainer<>(DockerImageName.parse(BaseImage.NAME))
        .withNetwork(network)
        .withNetworkAliases(name)
        .withCommand("sleep", "infinity")
        .withFileSystemBind("/usr", "/usr", BindMode.READ_ONLY)
        .withFileSystemBind("/etc", "/etc", BindMode.READ_ONLY)
        .withFileSystemBind(berthHome.toString(), "/berth", BindMode.READ_ONLY)
        .withLabel(ChaosCluster.LABEL, runId)
        .withStartupAttempts(1)
        .withCreateContainerCmdModifier(cmd -> {
          cmd.withName("berth-chaos-" + runId + "-" + name).withHostName(name);
          // NET_ADMIN for iptables partitions; init reaps the servers this harness kills.
          cmd.getHostConfig().withCapAdd(Capability.NET_ADMIN).withInit(true);
        });
  }

  void create() {
    container.start();
  }

  /** The container's name in the run, e.g. {@code n1}: what histories and faults refer to. */
  public String name() {
    return name;
  }

  /** The store member this container runs now (a member removed and added back gets a new name). */
  public String memberName() {
    return memberName;
  }

  /** False between a member removal and the add-back: nothing should restart it meanwhile. */
  public boolean isMember() {
    return member;
  }

  void setMember(boolean member) {
    this.member = member;
  }

  public String ip() {
    return container.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
  }

  public String peerAddress() {
    return ip() + ":" + PEER_PORT;
  }

  public String clientEndpoint() {
    return ip() + ":" + CLIENT_PORT;
  }

  public String apiUrl() {
    return "http://" + ip() + ":" + API_PORT;
  }

  /** A gRPC channel to this replica's etcd API, kept for the run (gRPC reconnects by itself). */
  public ManagedChannel channel() {
    ManagedChannel current = channel;
    if (current == null) {
      synchronized (this) {
        if (channel == null) {
          channel = NettyChannelBuilder.forTarget(clientEndpoint()).usePlaintext()
              .maxInboundMessageSize(32 << 20).build();
        }
        current = channel;
      }
    }
    return current;
  }

  /** Starts {@code berth server} as member {@link #memberName()} of a cluster with these peers. */
  void startServer(Collection<Replica> peers, boolean join) {
    String peerList = peers.stream().map(p -> p.memberName() + "=" + p.peerAddress()).collect(Collectors.joining(","));
    String command = String.join(" ", List.of(
        "/berth/bin/berth", "server",
        "--name", memberName,
        "--data-dir", "/data/" + memberName,
        "--peers", peerList,
        "--client-listen", "0.0.0.0:" + CLIENT_PORT,
        "--advertise-client-host", ip(),
        "--api-listen", "0.0.0.0:" + API_PORT,
        "--metrics-listen", "0.0.0.0:" + METRICS_PORT,
        // The chaos clients speak plain HTTP to the API; authentication is issue 10's tests' job.
        "--anonymous-auth",
        join ? "--join" : ""));
    exec("BERTH_JAVA_OPTS='-Xmx512m -XX:+UseSerialGC' nohup " + command
        + " >> /data/server.log 2>&1 & echo $! > /data/server.pid");
  }

  /** kill -9 of the server process: what a power cut does to it. */
  public void kill() {
    signal("KILL");
  }

  /** SIGSTOP: the process holds its sockets and leases but does nothing, like a long GC pause. */
  public void pause() {
    signal("STOP");
  }

  public void resume() {
    signal("CONT");
  }

  private void signal(String signal) {
    exec("kill -" + signal + " $(cat /data/server.pid) 2>/dev/null || true");
  }

  /** Whether the server process exists and is not a zombie (state from /proc, as kill -0 lies). */
  public boolean serverProcessAlive() {
    String state = exec("cat /proc/$(cat /data/server.pid 2>/dev/null || echo 0)/stat 2>/dev/null || true").trim();
    if (state.isEmpty()) {
      return false;
    }
    String afterName = state.substring(state.lastIndexOf(')') + 1).trim();
    return !afterName.startsWith("Z") && !afterName.startsWith("X");
  }

  /** Whether the server answers its readiness check (store serving, API up). */
  public boolean ready() {
    try {
      HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://" + ip() + ":" + METRICS_PORT + "/readyz")).timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Drops every packet between this replica and those (both directions), inside this container. */
  public void dropTrafficWith(Collection<Replica> others) {
    StringBuilder rules = new StringBuilder();
    for (Replica other : others) {
      rules.append("iptables -w -A INPUT -s ").append(other.ip()).append(" -j DROP && ")
          .append("iptables -w -A OUTPUT -d ").append(other.ip()).append(" -j DROP && ");
    }
    rules.append("true");
    exec(rules.toString());
  }

  /** Drops packets from those replicas only: a one-way cut, as in a majorities ring. */
  public void dropIncomingFrom(Collection<Replica> others) {
    StringBuilder rules = new StringBuilder();
    for (Replica other : others) {
      rules.append("iptables -w -A INPUT -s ").append(other.ip()).append(" -j DROP && ");
    }
    rules.append("true");
    exec(rules.toString());
  }

  /** Removes every rule {@link #dropTrafficWith} and {@link #dropIncomingFrom} added. */
  public void healNetwork() {
    exec("iptables -w -F INPUT && iptables -w -F OUTPUT");
  }

  /** Forgets the member's state and gives it a new member name, for a remove-and-add-back. */
  void newIncarnation() {
    exec("rm -rf /data/" + memberName);
    incarnation++;
    memberName = name + "i" + incarnation;
  }

  /** Copies the server's log out of the container (the container is removed at the end of a run). */
  void copyLogTo(Path dir) {
    try {
      Files.createDirectories(dir);
      container.copyFileFromContainer("/data/server.log", dir.resolve(name + ".log").toString());
    } catch (Exception e) {
      // A replica that never started has no log; the run's report says what happened to it.
    }
  }

  private String exec(String shell) {
    try {
      ExecResult result = container.execInContainer("sh", "-c", shell);
      if (result.getExitCode() != 0) {
        throw new IllegalStateException("in " + name + ": `" + shell + "` exited " + result.getExitCode() + ": "
            + result.getStderr().trim());
      }
      return result.getStdout();
    } catch (IOException e) {
      throw new IllegalStateException("in " + name + ": `" + shell + "` failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running `" + shell + "` in " + name, e);
    }
  }

  @Override
  public void close() {
    ManagedChannel current = channel;
    if (current != null) {
      current.shutdownNow();
    }
    container.stop();
  }

  @Override
  public String toString() {
    return name;
  }
}
