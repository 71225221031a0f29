package io.berth.cli.server;

import io.berth.cli.UserError;
import io.berth.client.Client;
import io.berth.client.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How an agent or the ingress reaches an HTTPS Kubernetes API: the CA that signed the
 * servers' certificates, and this process's own client certificate (its identity: an
 * agent's system:node:NAME, the ingress's system:berth-ingress). A picocli mixin.
 */
public final class ApiClientFlags {
  @Option(names = "--api-ca-file", paramLabel = "FILE",
      description = "CA bundle the API servers' certificates are checked against (berth certs: ca.crt).")
  Path caFile;

  @Option(names = "--api-cert-file", paramLabel = "FILE",
      description = "This process's client certificate for the API (berth certs: node-NAME.crt, ingress.crt).")
  Path certFile;

  @Option(names = "--api-key-file", paramLabel = "FILE", description = "Its PKCS#8 PEM key.")
  Path keyFile;

  /** The files the flags name, or null when none is given (plain HTTP endpoints). */
  public TlsFiles files() {
    if (caFile == null && certFile == null && keyFile == null) {
      return null;
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new UserError("--api-cert-file and --api-key-file go together");
    }
    for (Path file : new Path[] {caFile, certFile, keyFile}) {
      if (file != null && !Files.isReadable(file)) {
        throw new UserError("cannot read " + file + " (an --api-* TLS flag)");
      }
    }
    return new TlsFiles(certFile, keyFile, caFile);
  }

  public Client.Builder apply(Client.Builder builder) throws IOException {
    TlsFiles files = files();
    return files == null ? builder : builder.tls(files);
  }
}
