package io.berth.cli.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.apiserver.access.AccessSettings;
import io.berth.apiserver.access.AuthorizationMode;
import io.berth.apiserver.access.TokenFile;
import io.berth.apiserver.access.UserInfo;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.http.ApiServer;
import io.berth.cli.kubectl.Kubectl.Result;
import io.berth.store.net.FreePorts;
import io.berth.store.server.StoreConfig;
import io.berth.store.server.StoreServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (v1.32) with bearer tokens in its kubeconfig against a replica that
 * authenticates by static tokens and authorizes by Node,RBAC: an administrator creates a
 * Role and RoleBinding with kubectl, the user bound answers {@code kubectl auth can-i}
 * through SelfSubjectAccessReview and is refused elsewhere in Kubernetes' words, and an
 * unknown token is told to log in.
 */
class KubectlAuthIT {
  @TempDir
  static Path dir;
  static StoreServer store;
  static TlsFrontProxy proxy;
  static ApiServer api;
  static Kubectl admin;
  static Kubectl alice;
  static Kubectl stranger;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Kubectl.available(), "kubectl is not installed at " + Kubectl.BINARY);
    store = StoreServer.start(StoreConfig.builder().name("s1").dataDir(dir.resolve("s1"))
        .peers(Map.of("s1", "127.0.0.1:" + FreePorts.pick())).clientHost("127.0.0.1").clientPort(FreePorts.pick())
        .build());
    TokenFile tokens = TokenFile.of(Map.of(
        "admin-token", new UserInfo("root", List.of("system:masters")),
        "alice-token", new UserInfo("alice", List.of())));
    api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store.node(), WatchCache.Settings.defaults(),
        new PrometheusRegistry(), io.berth.apiserver.access.ApiSecurity.plaintext(),
        new AccessSettings(List.of(tokens), false, AuthorizationMode.parse("Node,RBAC")),
        io.berth.apiserver.audit.AuditSink.none(), java.util.Map.of());
    api.systemNamespacesReady().get(30, TimeUnit.SECONDS);
    // kubectl sends bearer tokens only over TLS: until the API server serves it, a proxy does.
    proxy = TlsFrontProxy.start(dir, "http://127.0.0.1:" + api.port());
    String url = proxy.url();
    admin = kubectl("admin", url, "admin-token");
    alice = kubectl("alice", url, "alice-token");
    stranger = kubectl("stranger", url, "forged-token");
    awaitOk(admin, "get", "namespaces");
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (api != null) {
      api.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aUserBoundByKubectlCreatedRbacSeesWhatItMayDo() throws Exception {
    ok(admin.run("create", "namespace", "team"));
    ok(admin.run("create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods", "-n", "team"));
    ok(admin.run("create", "rolebinding", "alice-reads", "--role=pod-reader", "--user=alice", "-n", "team"));
    assertThat(ok(admin.run("get", "rolebinding", "alice-reads", "-n", "team")).stdout())
        .containsPattern("alice-reads\\s+Role/pod-reader\\s+");
    assertThat(ok(admin.run("get", "clusterrole", "cluster-admin")).stdout()).contains("cluster-admin");

    awaitOk(alice, "get", "pods", "-n", "team");
    Result yes = alice.run("auth", "can-i", "list", "pods", "-n", "team");
    assertThat(yes.exitCode()).isZero();
    assertThat(yes.stdout()).isEqualTo("yes\n");
    Result no = alice.run("auth", "can-i", "delete", "pods", "-n", "team");
    assertThat(no.exitCode()).isEqualTo(1);
    assertThat(no.stdout()).isEqualTo("no\n");
    assertThat(alice.run("auth", "can-i", "get", "secrets", "-n", "team").stdout()).isEqualTo("no\n");
    assertThat(admin.run("auth", "can-i", "delete", "nodes").stdout()).isEqualTo("yes\n");

    Result refused = alice.run("get", "pods", "-n", "default");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).isEqualTo("Error from server (Forbidden): pods is forbidden: User \"alice\" cannot "
        + "list resource \"pods\" in API group \"\" in the namespace \"default\"\n");
  }

  @Test
  void anUnknownTokenIsToldToLogIn() throws Exception {
    Result refused = stranger.run("get", "pods");
    assertThat(refused.exitCode()).isEqualTo(1);
    // What kubectl 1.32 prints for a 401 to its discovery request, against kube-apiserver too.
    assertThat(refused.stderr()).endsWith(
        "error: You must be logged in to the server (the server has asked for the client to provide credentials)\n");
  }

  private static Kubectl kubectl(String name, String url, String token) throws Exception {
    Path work = Files.createDirectories(dir.resolve(name));
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: berth
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: berth
          context:
            cluster: berth
            user: %s
        current-context: berth
        """.formatted(url, name, token, name));
    return new Kubectl(work, kubeconfig);
  }

  private static Result ok(Result result) {
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result;
  }

  /** RBAC reaches the authorizer through the watch cache, a moment after the write. */
  private static void awaitOk(Kubectl kubectl, String... args) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Result result;
    do {
      result = kubectl.run(args);
      if (result.exitCode() == 0) {
        return;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    ok(result);
  }
}
