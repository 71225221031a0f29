package io.berth.apiserver.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A kubeconfig that lets kubectl reach a Berth API server ({@code kubectl --kubeconfig
 * DIR/kubeconfig get ns}): one cluster entry pointing at one replica's API, a user
 * with no credentials (the API authenticates nobody yet: issue 10), one context.
 * {@code berth up} writes DIR/kubeconfig with it; the kubectl tests use it too.
 */
public final class Kubeconfig {
  public static final String NAME = "kubeconfig";
  public static final String CONTEXT = "berth";

  private Kubeconfig() {}

  public static String render(String serverUrl) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: berth
          cluster:
            server: %s
        users:
        - name: berth
          user: {}
        contexts:
        - name: %s
          context:
            cluster: berth
            user: berth
            namespace: default
        current-context: %s
        """.formatted(serverUrl, CONTEXT, CONTEXT);
  }

  /** Written to a temporary file and renamed, so kubectl never reads half a file. */
  public static Path write(Path dir, String serverUrl) throws IOException {
    Path tmp = dir.resolve(NAME + ".tmp");
    Files.writeString(tmp, render(serverUrl));
    return Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
