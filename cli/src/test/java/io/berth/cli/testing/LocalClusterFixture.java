package io.berth.cli.testing;

import io.berth.cli.Main;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every test of a {@code berth up} cluster needs around it: the processes' logs printed
 * when the test fails ({@link ClusterLogsOnFailure}), and {@code berth down} after each test,
 * pass or fail, so that no replica outlives its test. Register it beside the {@code @TempDir}
 * the cluster lives in:
 *
 * <pre>{@code
 * @TempDir Path dir;
 * @RegisterExtension final LocalClusterFixture cluster = new LocalClusterFixture(() -> dir);
 * }</pre>
 */
public final class LocalClusterFixture implements AfterTestExecutionCallback, AfterEachCallback {
  private final Supplier<Path> dir;
  private final ClusterLogsOnFailure logs;

  public LocalClusterFixture(Supplier<Path> dir) {
    this.dir = dir;
    this.logs = new ClusterLogsOnFailure(dir);
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    logs.afterTestExecution(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Main.run("down", "--dir", dir.get().toString());
  }
}
