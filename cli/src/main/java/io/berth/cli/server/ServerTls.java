package io.berth.cli.server;

import io.berth.apiserver.access.ApiSecurity;
import io.berth.apiserver.access.ServiceAccountTokens;
import io.berth.cli.UserError;
import io.berth.client.tls.TlsFiles;
import io.berth.store.tls.StoreTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The TLS flags of {@code berth server}, checked once: one certificate (serving and client)
 * and one CA for all three listeners of a replica — the Kubernetes API, the etcd API and
 * the Raft peers — as {@code berth certs} issues them. The metrics endpoint stays plain
 * HTTP (it serves only counters and health, and Prometheus scrapes it without certificates).
 */
record ServerTls(TlsFiles files, boolean anonymous, Path serviceAccountKey, Path serviceAccountSigningKey) {
  /** The TLS settings the flags give, or null when none is given (plaintext). */
  static ServerTls fromFlags(Path cert, Path key, Path clientCa, boolean anonymous, Path serviceAccountKey,
      Path serviceAccountSigningKey) {
    if (cert == null && key == null && clientCa == null) {
      if (serviceAccountKey != null || serviceAccountSigningKey != null) {
        throw new UserError("--service-account-key-file and --service-account-signing-key-file need TLS "
            + "(--tls-cert-file): bearer tokens are never accepted over plain HTTP");
      }
      return null;
    }
    if (serviceAccountSigningKey != null && serviceAccountKey == null) {
      throw new UserError("--service-account-signing-key-file needs --service-account-key-file (its public key)");
    }
    if (cert == null || key == null || clientCa == null) {
      throw new UserError("TLS needs all of --tls-cert-file, --tls-private-key-file and --client-ca-file");
    }
    List<Path> files = new java.util.ArrayList<>(List.of(cert, key, clientCa));
    if (serviceAccountKey != null) {
      files.add(serviceAccountKey);
    }
    if (serviceAccountSigningKey != null) {
      files.add(serviceAccountSigningKey);
    }
    for (Path file : files) {
      if (!Files.isReadable(file)) {
        throw new UserError("cannot read " + file + " (a TLS flag)");
      }
    }
    return new ServerTls(new TlsFiles(cert, key, clientCa), anonymous, serviceAccountKey, serviceAccountSigningKey);
  }

  StoreTls store() {
    return new StoreTls(files.certFile(), files.keyFile(), files.caFile());
  }

  /** @param tokenAuthenticators what else authenticates besides certificates and service-account tokens (--token-auth-file) */
  ApiSecurity api(List<io.berth.apiserver.access.CredentialAuthenticator> tokenAuthenticators) throws IOException {
    ServiceAccountTokens tokens = serviceAccountKey == null ? null
        : ServiceAccountTokens.fromFiles(serviceAccountSigningKey, serviceAccountKey);
    return ApiSecurity.tls(files, files.caFile(), anonymous, tokenAuthenticators, tokens);
  }
}
