package io.berth.cli.local;

import java.nio.file.Path;
import java.util.List;

/** How a local cluster's ingress process is named, laid out and launched (one, after the servers). */
final class IngressProcesses {
  static final String ROLE = "ingress";

  private IngressProcesses() {}

  /** A new ingress entry with free ports (http, https, metrics). */
  static ClusterFile.ProcessEntry plan(Path dir) {
    ClusterFile.ProcessEntry ingress = new ClusterFile.ProcessEntry();
    ingress.name = "ingress-1";
    ingress.role = ROLE;
    ingress.ports.put("http", LocalProcess.freePort());
    ingress.ports.put("https", LocalProcess.freePort());
    ingress.ports.put("metrics", LocalProcess.freePort());
    ingress.log = dir.resolve("logs").resolve(ingress.name + ".log").toString();
    return ingress;
  }

  /** What identifies the ingress's process in /proc/PID/cmdline (it has no data dir). */
  static String marker(ClusterFile.ProcessEntry ingress) {
    return "ingress --http-listen 127.0.0.1:" + ingress.port("http") + " ";
  }

  static List<String> args(ClusterFile cluster, ClusterFile.ProcessEntry ingress) {
    List<String> args = new java.util.ArrayList<>(List.of("ingress", "--http-listen", "127.0.0.1:" + ingress.port("http"),
        "--https-listen", "127.0.0.1:" + ingress.port("https"),
        "--metrics-listen", "127.0.0.1:" + ingress.port("metrics"),
        "--api-endpoints", ServerProcesses.apiUrls(cluster)));
    args.addAll(ServerProcesses.apiClientFlags(cluster, io.berth.cli.certs.ClusterPki.INGRESS_FILE));
    return args;
  }

  /** The marker of any local process: servers are known by their data dir, the ingress by its port. */
  static String markerOf(ClusterFile.ProcessEntry p) {
    return ROLE.equals(p.role) ? marker(p) : ServerProcesses.marker(p);
  }
}
