package io.berth.agent.testing;

import static org.assertj.core.api.Assertions.fail;

import io.berth.agent.runtime.docker.DockerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Docker engine the Docker tests need. With CI=true it must be there (CI installs
 * docker.io and starts dockerd: scripts/install-test-deps.sh), so its absence fails the test;
 * elsewhere the tests are skipped without one. Builds the local test images once.
 */
public final class DockerEngine {
  private static boolean imagesBuilt;

  private DockerEngine() {}

  public static synchronized void require() throws Exception {
    boolean reachable = DockerRuntime.reachable(DockerRuntime.DEFAULT_HOST);
    if (!reachable) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but no Docker engine answers at " + DockerRuntime.DEFAULT_HOST
            + "; scripts/install-test-deps.sh installs and starts one");
      }
      Assumptions.abort("no Docker engine at " + DockerRuntime.DEFAULT_HOST);
    }
    if (!imagesBuilt) {
      Path script = scripts().resolve("build-test-images.sh");
      Process build = new ProcessBuilder(script.toString()).inheritIO().start();
      if (!build.waitFor(120, TimeUnit.SECONDS) || build.exitValue() != 0) {
        fail(script + " failed to build the test images");
      }
      imagesBuilt = true;
    }
  }

  private static Path scripts() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("scripts")) && Files.exists(dir.resolve("scripts/build-test-images.sh"))) {
        return dir.resolve("scripts");
      }
    }
    throw new IllegalStateException("scripts/build-test-images.sh not found above " + Path.of("").toAbsolutePath());
  }
}
