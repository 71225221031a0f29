package io.berth.cli.member;

import io.berth.cli.UserError;
import io.berth.cli.local.ClusterFile;
import io.berth.cli.local.StatusCommand;
import io.berth.cli.server.HostPort;
import io.berth.store.tls.StoreTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Which cluster a member command works on: a local one by its directory (its endpoints and,
 * for {@code berth up --tls}, the admin certificate come from there, as for {@code status} and
 * {@code snapshot}), or any cluster by its store endpoints, with etcdctl's TLS flags. Shared by
 * the member commands and {@code berth drill}.
 */
public final class ClusterTarget {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  static final class Where {
    @Option(names = "--dir", description = "A local cluster's directory (as given to 'berth up').")
    Path dir;

    @Option(names = "--endpoints", split = ",", paramLabel = "HOST:PORT",
        description = "Store client endpoints of any cluster, comma-separated.")
    List<String> endpoints;
  }

  @Option(names = "--cacert", paramLabel = "FILE",
      description = "With --endpoints: the CA bundle the servers' certificates are checked against (berth certs: "
          + "ca.crt); with --cert and --key it turns TLS on, as etcdctl's flags of the same names do.")
  Path caFile;

  @Option(names = "--cert", paramLabel = "FILE",
      description = "With --endpoints: the client certificate (berth certs: admin.crt; group system:masters).")
  Path certFile;

  @Option(names = "--key", paramLabel = "FILE", description = "With --endpoints: its PKCS#8 PEM key (admin.key).")
  Path keyFile;

  /** True for a local cluster (--dir). */
  public boolean local() {
    return where.dir != null;
  }

  public Path dir() {
    return where.dir.toAbsolutePath().normalize();
  }

  public ClusterFile cluster() throws IOException {
    return ClusterFile.read(dir());
  }

  /** The store endpoints, checked. */
  public List<String> endpoints() throws IOException {
    if (local()) {
      return StatusCommand.endpointsOf(dir());
    }
    List<String> endpoints = where.endpoints.stream().map(String::trim).filter(e -> !e.isEmpty()).toList();
    if (endpoints.isEmpty()) {
      throw new UserError("--endpoints needs at least one HOST:PORT");
    }
    endpoints.forEach(e -> HostPort.parse("--endpoints", e));
    return endpoints;
  }

  /** The TLS settings to reach the store with, or null for plaintext. */
  public StoreTls tls() throws IOException {
    boolean any = caFile != null || certFile != null || keyFile != null;
    if (local()) {
      if (any) {
        throw new UserError("--cacert, --cert and --key go with --endpoints; with --dir the local cluster's own "
            + "admin certificate is used");
      }
      return StatusCommand.storeTlsOf(dir());
    }
    if (!any) {
      return null;
    }
    if (caFile == null || certFile == null || keyFile == null) {
      throw new UserError("--cacert, --cert and --key go together: give all three for TLS, or none");
    }
    for (var file : List.of(caFile, certFile, keyFile)) {
      if (!Files.isReadable(file)) {
        throw new UserError(file + " (from --cacert, --cert or --key) cannot be read");
      }
    }
    return new StoreTls(certFile, keyFile, caFile);
  }
}
