package io.berth.cli.local;

import io.berth.cli.certs.ClusterPki;
import io.berth.client.tls.TlsFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** How a local cluster's server processes are named, laid out and launched. */
public final class ServerProcesses {
  public static final String ROLE = "server";

  private ServerProcesses() {}

  static String name(int i) {
    return "server-" + i;
  }

  /**
   * A new server named {@code name} laid out under {@code dir}, with free ports, not started
   * ({@code berth up} plans its servers with it, {@code berth member add} a joining one).
   */
  public static ClusterFile.ProcessEntry plan(Path dir, String name) {
    ClusterFile.ProcessEntry server = new ClusterFile.ProcessEntry();
    server.name = name;
    server.role = ROLE;
    server.ports.put("client", LocalProcess.freePort());
    server.ports.put("peer", LocalProcess.freePort());
    server.ports.put("metrics", LocalProcess.freePort());
    server.ports.put("api", LocalProcess.freePort());
    server.dataDir = dir.resolve("data").resolve(server.name).toString();
    server.log = logFile(dir, server).toString();
    return server;
  }

  /** A server's Raft peer address: every local server listens on loopback. */
  public static String peerAddress(ClusterFile.ProcessEntry server) {
    return "127.0.0.1:" + server.port("peer");
  }

  /** A server's store client endpoint. */
  public static String clientEndpoint(ClusterFile.ProcessEntry server) {
    return "127.0.0.1:" + server.port("client");
  }

  /**
   * Whether a server is ready for what a user tries next: the store has a leader, and the API
   * answers with the system namespaces in place (the API listens a moment after the store is up).
   */
  public static boolean isReady(ClusterFile cluster, ClusterFile.ProcessEntry server) {
    return LocalProcess.httpOk(server.port("metrics"), "/healthz")
        && LocalProcess.apiOk(cluster, server.port("api"), "/api/v1/namespaces/kube-system");
  }

  /** What identifies a server's process in /proc/PID/cmdline. */
  public static String marker(ClusterFile.ProcessEntry server) {
    return "--data-dir " + server.dataDir + " ";
  }

  /** The {@code berth} arguments that run this server of the cluster. */
  public static List<String> args(ClusterFile cluster, ClusterFile.ProcessEntry server) {
    String peers = cluster.withRole(ROLE).stream()
        .map(s -> s.name + "=" + peerAddress(s))
        .collect(Collectors.joining(","));
    List<String> args = new ArrayList<>();
    args.add("server");
    args.add("--name");
    args.add(server.name);
    args.add("--data-dir");
    args.add(server.dataDir);
    args.add("--peers");
    args.add(peers);
    args.add("--client-listen");
    args.add("127.0.0.1:" + server.port("client"));
    args.add("--api-listen");
    args.add("127.0.0.1:" + server.port("api"));
    args.add("--metrics-listen");
    args.add("127.0.0.1:" + server.port("metrics"));
    args.add("--cluster-token");
    args.add(cluster.clusterToken);
    if (Boolean.TRUE.equals(server.join)) {
      // Added by 'berth member add': it learns the configuration from the running cluster.
      // Harmless on later starts, which go by the data dir.
      args.add("--join");
    }
    if (cluster.pki != null) {
      TlsFiles files = TlsFiles.inPki(Path.of(cluster.pki), ClusterPki.serverFile(server.name));
      args.addAll(List.of("--tls-cert-file", files.certFile().toString(), "--tls-private-key-file",
          files.keyFile().toString(), "--client-ca-file", files.caFile().toString(),
          "--service-account-key-file", Path.of(cluster.pki, ClusterPki.SERVICE_ACCOUNT_PUBLIC_KEY).toString(),
          "--service-account-signing-key-file", Path.of(cluster.pki, ClusterPki.SERVICE_ACCOUNT_KEY).toString()));
      // A TLS cluster is locked down as kubeadm sets kube-apiserver up: Node and RBAC
      // authorization, an audit log, Secrets encrypted at rest. An operator's own
      // --server-flag for any of them wins.
      addUnlessGiven(args, cluster, "--authorization-mode", "Node,RBAC");
      addUnlessGiven(args, cluster, "--audit-log-path", Path.of(server.log).resolveSibling("audit-" + server.name
          + ".log").toString());
      addUnlessGiven(args, cluster, "--encryption-provider-config", AtRestKeys.file(Path.of(cluster.pki)).toString());
    }
    if (cluster.serverFlags != null) {
      args.addAll(cluster.serverFlags);
    }
    return args;
  }

  private static void addUnlessGiven(List<String> args, ClusterFile cluster, String flag, String value) {
    boolean given = cluster.serverFlags != null
        && cluster.serverFlags.stream().anyMatch(f -> f.equals(flag) || f.startsWith(flag + "="));
    if (!given) {
      args.addAll(List.of(flag, value));
    }
  }

  static String clientEndpoints(ClusterFile cluster) {
    return cluster.withRole(ROLE).stream()
        .map(ServerProcesses::clientEndpoint)
        .collect(Collectors.joining(","));
  }

  /** The Kubernetes API URL of the first server, which DIR/kubeconfig points kubectl at. */
  static String apiUrl(ClusterFile cluster) {
    return apiUrl(cluster, cluster.withRole(ROLE).get(0));
  }

  /** A server's Kubernetes API URL: https in a cluster with certificates. */
  static String apiUrl(ClusterFile cluster, ClusterFile.ProcessEntry server) {
    return (cluster.pki == null ? "http://" : "https://") + "127.0.0.1:" + server.port("api");
  }

  /** Every server's API URL, comma-separated, for agents and the ingress. */
  static String apiUrls(ClusterFile cluster) {
    return cluster.withRole(ROLE).stream().map(s -> apiUrl(cluster, s)).collect(Collectors.joining(","));
  }

  /** The --api-ca-file/--api-cert-file/--api-key-file flags of a client whose files are NAME.crt/key, if TLS. */
  static List<String> apiClientFlags(ClusterFile cluster, String name) {
    if (cluster.pki == null) {
      return List.of();
    }
    TlsFiles files = TlsFiles.inPki(Path.of(cluster.pki), name);
    return List.of("--api-ca-file", files.caFile().toString(), "--api-cert-file", files.certFile().toString(),
        "--api-key-file", files.keyFile().toString());
  }

  static Path logFile(Path dir, ClusterFile.ProcessEntry p) {
    return dir.resolve("logs").resolve(p.name + ".log");
  }
}
