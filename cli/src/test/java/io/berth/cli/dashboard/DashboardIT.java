package io.berth.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.berth.cli.Main;
import io.berth.cli.kubectl.Kubectl;
import io.berth.cli.local.ClusterFile;
import io.berth.cli.testing.LocalClusterFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard at /ui, in Debian's chromium driven headless by Playwright, against a
 * three-replica TLS cluster from {@code berth up --tls}: a viewer signs in with a token of the
 * dashboard's read-only account, every replica serves the page with the same Raft view, and
 * changes made with kubectl appear on an open page through its watches, without a reload.
 */
class DashboardIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final LocatorAssertions.ContainsTextOptions SOON =
      new LocatorAssertions.ContainsTextOptions().setTimeout(20_000);

  @TempDir
  Path dir;

  @RegisterExtension
  final LocalClusterFixture fixture = new LocalClusterFixture(() -> dir);

  @Test
  void everyReplicaServesALiveViewOfTheClusterToASignedInViewer() throws Exception {
    Assumptions.assumeTrue(Kubectl.available(), "kubectl is not installed");
    Assumptions.assumeTrue(chromiumAvailable(), "chromium is not installed");
    assertThat(Main.run("up", "--dir", dir.toString(), "--replicas", "3", "--detach")).isZero();
    Kubectl admin = new Kubectl(dir.resolve("kubectl"), dir.resolve("kubeconfig"));
    Kubectl.Result token = admin.run("-n", "kube-system", "create", "token", "berth-dashboard");
    assertThat(token.exitCode()).as(token.stderr()).isZero();
    List<Integer> apiPorts = ClusterFile.read(dir).withRole("server").stream().map(s -> s.port("api")).toList();

    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
            .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
            .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(List.of("--no-sandbox")));
        // The cluster's CA is not one the browser knows; the page's TLS is tested elsewhere.
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true))) {
      Page first = context.newPage();
      first.navigate("https://127.0.0.1:" + apiPorts.get(0) + "/ui");

      // Without a token the API answers 401: the page asks for one, and a wrong one is refused.
      PlaywrightAssertions.assertThat(first.locator("#login")).isVisible();
      first.fill("#token", "not-a-token");
      first.click("#login button");
      PlaywrightAssertions.assertThat(first.locator("#login-error")).containsText("refused", SOON);
      first.fill("#token", token.stdout().trim());
      first.click("#login button");
      PlaywrightAssertions.assertThat(first.locator("#panels")).isVisible();

      // Control plane: three members that answered, exactly one of them the leader, all in one term.
      Locator members = first.locator("#members tbody tr");
      PlaywrightAssertions.assertThat(members).hasCount(3);
      for (String name : List.of("server-1", "server-2", "server-3")) {
        PlaywrightAssertions.assertThat(first.locator("#members tr[data-key='" + name + "']"))
            .containsText(name, SOON);
      }
      PlaywrightAssertions.assertThat(first.locator("#members td:text-is('leader')")).hasCount(1);
      PlaywrightAssertions.assertThat(first.locator("#members td.error")).hasCount(0);
      // The scheduler and the controllers each have a leader, one of the replicas.
      PlaywrightAssertions.assertThat(first.locator("#leaders tr[data-key='berth-scheduler']"))
          .containsText("server-", SOON);
      PlaywrightAssertions.assertThat(first.locator("#leaders tr[data-key='berth-controller-manager']"))
          .containsText("server-", SOON);
      PlaywrightAssertions.assertThat(first.locator("#connection")).containsText("live", SOON);

      // Changes made with kubectl appear on the open page, through its watches.
      assertThat(admin.run("create", "deployment", "web", "--image=berth-test/httpd", "--replicas=2").exitCode())
          .isZero();
      Locator web = first.locator("#deployments tr[data-key='default/web']");
      PlaywrightAssertions.assertThat(web).containsText("0/2", SOON);
      // No agents run here: the ReplicaSet's pods wait unscheduled, and the page shows them.
      PlaywrightAssertions.assertThat(first.locator("#nodes tr[data-key='(unscheduled)']")).containsText("2: ", SOON);
      assertThat(admin.run("scale", "deployment", "web", "--replicas=3").exitCode()).isZero();
      PlaywrightAssertions.assertThat(web).containsText("0/3", SOON);
      PlaywrightAssertions.assertThat(first.locator("#events tbody")).containsText("ScalingReplicaSet", SOON);
      Path node = dir.resolve("node.yaml");
      Files.writeString(node, """
          apiVersion: v1
          kind: Node
          metadata:
            name: hollow-1
          """);
      assertThat(admin.run("apply", "-f", node.toString()).exitCode()).isZero();
      PlaywrightAssertions.assertThat(first.locator("#nodes tr[data-key='hollow-1']")).containsText("hollow-1", SOON);
      // The picture an operator sees, kept with the build's test reports.
      first.screenshot(new Page.ScreenshotOptions().setFullPage(true)
          .setPath(Path.of("target", "failsafe-reports", "dashboard.png")));
      assertThat(admin.run("delete", "deployment", "web").exitCode()).isZero();
      PlaywrightAssertions.assertThat(web).hasCount(0);

      // Every other replica serves the same page and sees the same leader and term.
      String leaderRow = first.locator("#members tr:has(td:text-is('leader'))").innerText();
      for (int port : apiPorts.subList(1, apiPorts.size())) {
        Page other = context.newPage();
        // Another port is another origin: the token the first page keeps is not shared with it.
        other.navigate("https://127.0.0.1:" + port + "/ui/#token=" + token.stdout().trim());
        PlaywrightAssertions.assertThat(other.locator("#members td:text-is('leader')")).hasCount(1);
        PlaywrightAssertions.assertThat(other.locator("#connection")).containsText("served by 127.0.0.1:" + port);
        assertThat(other.locator("#members tr:has(td:text-is('leader'))").innerText().split("\t"))
            .as("leader and term as another replica sees them").startsWith(leaderRow.split("\t")[0],
                leaderRow.split("\t")[1], leaderRow.split("\t")[2], leaderRow.split("\t")[3]);
        other.close();
      }
    }
  }

  /** On CI (CI=true) a missing chromium is a failure, not a skip. */
  private static boolean chromiumAvailable() {
    boolean present = Files.isExecutable(CHROMIUM);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(CHROMIUM + " is missing, and CI=true requires the dashboard's browser test to run");
    }
    return present;
  }
}
