package io.berth.cli.local;

import io.berth.apiserver.access.Kubeconfig;
import io.berth.cli.certs.ClusterPki;
import io.berth.client.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files beside cluster.json that list a local cluster's servers for its clients:
 * DIR/etcd-endpoints, DIR/kubeconfig (the first server's API) and DIR/prometheus.yml.
 * Written by {@code berth up}, and again by {@code berth member add|remove} whenever the
 * servers change, so that they never name a removed server or miss an added one.
 */
public final class ClientFiles {
  private ClientFiles() {}

  public static void write(Path dir, ClusterFile cluster) throws IOException {
    Files.writeString(dir.resolve("etcd-endpoints"), ServerProcesses.clientEndpoints(cluster) + "\n");
    Kubeconfig.write(dir, ServerProcesses.apiUrl(cluster),
        cluster.pki == null ? null : TlsFiles.inPki(Path.of(cluster.pki), ClusterPki.ADMIN_FILE));
    PrometheusConfig.write(dir, cluster);
  }
}
