package io.berth.apiserver.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A kubeconfig that lets kubectl reach a Berth API server ({@code kubectl --kubeconfig
 * DIR/kubeconfig get ns}): one cluster entry pointing at one replica's API, a user
 * with the admin client certificate and the cluster CA when the API has TLS (else no
 * credentials), one context.
 * {@code berth up} writes DIR/kubeconfig with it; the kubectl tests use it too.
 */
public final class Kubeconfig {
  public static final String NAME = "kubeconfig";
  public static final String CONTEXT = "berth";

  private Kubeconfig() {}

  public static String render(String serverUrl) {
    return render(serverUrl, null);
  }

  /**
   * With {@code tls}, the cluster entry trusts its CA file and the user presents its client
   * certificate and key (file paths, as kubectl reads them); without it, no credentials.
   */
  public static String render(String serverUrl, io.berth.client.tls.TlsFiles tls) {
    String cluster = tls == null ? "" : "\n    certificate-authority: " + tls.caFile().toAbsolutePath();
    String user = tls == null ? " {}" : "\n    client-certificate: " + tls.certFile().toAbsolutePath()
        + "\n    client-key: " + tls.keyFile().toAbsolutePath();
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: berth
          cluster:
            server: %s%s
        users:
        - name: berth
          user:%s
        contexts:
        - name: %s
          context:
            cluster: berth
            user: berth
            namespace: default
        current-context: %s
        """.formatted(serverUrl, cluster, user, CONTEXT, CONTEXT);
  }

  /** Written to a temporary file and renamed, so kubectl never reads half a file. */
  public static Path write(Path dir, String serverUrl) throws IOException {
    return write(dir, serverUrl, null);
  }

  /** As {@link #write(Path, String)}, with the CA and client certificate of {@code tls} (null: none). */
  public static Path write(Path dir, String serverUrl, io.berth.client.tls.TlsFiles tls) throws IOException {
    Path tmp = dir.resolve(NAME + ".tmp");
    Files.writeString(tmp, render(serverUrl, tls));
    return Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
