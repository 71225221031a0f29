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

  /** What identifies a server's process in /proc/PID/cmdline. */
  public static String marker(ClusterFile.ProcessEntry server) {
    return "--data-dir " + server.dataDir + " ";
  }

  static List<String> args(ClusterFile cluster, ClusterFile.ProcessEntry server) {
    String peers = cluster.withRole(ROLE).stream()
        .map(s -> s.name + "=127.0.0.1:" + s.port("peer"))
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
    if (cluster.pki != null) {
      TlsFiles files = TlsFiles.inPki(Path.of(cluster.pki), ClusterPki.serverFile(server.name));
      args.addAll(List.of("--tls-cert-file", files.certFile().toString(), "--tls-private-key-file",
          files.keyFile().toString(), "--client-ca-file", files.caFile().toString(),
          "--service-account-key-file", Path.of(cluster.pki, ClusterPki.SERVICE_ACCOUNT_PUBLIC_KEY).toString(),
          "--service-account-signing-key-file", Path.of(cluster.pki, ClusterPki.SERVICE_ACCOUNT_KEY).toString()));
    }
    if (cluster.serverFlags != null) {
      args.addAll(cluster.serverFlags);
    }
    return args;
  }

  static String clientEndpoints(ClusterFile cluster) {
    return cluster.withRole(ROLE).stream()
        .map(s -> "127.0.0.1:" + s.port("client"))
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
