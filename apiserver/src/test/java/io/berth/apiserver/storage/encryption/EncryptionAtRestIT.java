package io.berth.apiserver.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.access.AccessSettings;
import io.berth.apiserver.audit.AuditSink;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.http.ApiServer;
import io.berth.apiserver.testing.Http;
import io.berth.store.net.FreePorts;
import io.berth.store.server.StoreConfig;
import io.berth.store.server.StoreServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets encrypted at rest in a real replica: etcdctl sees ciphertext with Kubernetes'
 * prefix while the API serves plaintext; rotation by listing a new key first and
 * rewriting every Secret (the {@code kubectl get secrets -A -o json | kubectl replace -f -}
 * trick, over HTTP); an API server without the key refuses the Secret clearly.
 */
class EncryptionAtRestIT {
  private static final String KEY = "/registry/core/secrets/default/db";
  private static final String SECRET_URL = "/api/v1/namespaces/default/secrets/db";

  @TempDir
  Path dir;

  @Test
  void secretsAreCiphertextInTheStoreAndRotateToANewKey() throws Exception {
    int clientPort = FreePorts.pick();
    try (StoreServer store = StoreServer.start(StoreConfig.builder().name("s1").dataDir(dir.resolve("s1"))
        .peers(Map.of("s1", "127.0.0.1:" + FreePorts.pick())).clientHost("127.0.0.1").clientPort(clientPort)
        .build())) {
      Http http = new Http();
      try (ApiServer api = start(store, EncryptionConfigTest.config("key1=" + EncryptionConfigTest.KEY1))) {
        String url = "http://127.0.0.1:" + api.port();
        assertThat(http.send("POST", url + "/api/v1/namespaces/default/secrets",
            "{\"metadata\":{\"name\":\"db\"},\"stringData\":{\"password\":\"hunter2\"}}").code()).isEqualTo(201);
        assertThat(etcdctlGet(clientPort, KEY)).startsWith("k8s:enc:aesgcm:v1:key1:")
            .doesNotContain("aHVudGVyMg==", "hunter2", "password");
        assertThat(http.get(url + SECRET_URL).body().at("/data/password").asText()).isEqualTo("aHVudGVyMg==");
        // Configmaps are not listed in the config: stored as they are.
        assertThat(http.send("POST", url + "/api/v1/namespaces/default/configmaps",
            "{\"metadata\":{\"name\":\"plain\"},\"data\":{\"a\":\"visible\"}}").code()).isEqualTo(201);
        assertThat(etcdctlGet(clientPort, "/registry/core/configmaps/default/plain")).contains("visible");
      }

      try (ApiServer api = start(store, EncryptionConfigTest.config("key2=" + EncryptionConfigTest.KEY2,
          "key1=" + EncryptionConfigTest.KEY1))) {
        String url = "http://127.0.0.1:" + api.port();
        Http.Reply read = http.get(url + SECRET_URL);
        assertThat(read.body().at("/data/password").asText()).isEqualTo("aHVudGVyMg==");
        assertThat(etcdctlGet(clientPort, KEY)).startsWith("k8s:enc:aesgcm:v1:key1:");
        // Rewrite every Secret as read: each is stored again, encrypted with the first key.
        for (var item : http.get(url + "/api/v1/secrets").body().get("items")) {
          ObjectNode secret = (ObjectNode) item;
          secret.put("apiVersion", "v1").put("kind", "Secret");
          String path = "/api/v1/namespaces/" + secret.at("/metadata/namespace").asText() + "/secrets/"
              + secret.at("/metadata/name").asText();
          assertThat(http.send("PUT", url + path, secret.toString()).code()).isEqualTo(200);
        }
        assertThat(etcdctlGet(clientPort, KEY)).startsWith("k8s:enc:aesgcm:v1:key2:");
        assertThat(http.get(url + SECRET_URL).body().at("/data/password").asText()).isEqualTo("aHVudGVyMg==");
      }

      try (ApiServer api = start(store, EncryptionConfigTest.config("key1=" + EncryptionConfigTest.KEY1))) {
        Http.Reply refused = http.get("http://127.0.0.1:" + api.port() + SECRET_URL);
        assertThat(refused.code()).isEqualTo(500);
        assertThat(refused.body().path("message").asText()).contains("aesgcm key \"key2\"",
            "which the encryption provider config does not list");
        // A list is served from the watch cache, which was handed the ciphertext: refused as clearly.
        Http.Reply list = http.get("http://127.0.0.1:" + api.port() + "/api/v1/namespaces/default/secrets");
        assertThat(list.code()).isEqualTo(500);
        assertThat(list.body().path("message").asText()).contains("stored Secret is encrypted "
            + "(k8s:enc:aesgcm:v1:key2) with a key this server's --encryption-provider-config does not list");
      }
    }
  }

  private static ApiServer start(StoreServer store, String config) throws Exception {
    ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store.node(), WatchCache.Settings.defaults(),
        new PrometheusRegistry(), io.berth.apiserver.access.ApiSecurity.plaintext(), AccessSettings.open(),
        AuditSink.none(), EncryptionConfig.parse(config));
    api.systemNamespacesReady().get(30, TimeUnit.SECONDS);
    return api;
  }

  private static String etcdctlGet(int port, String key) throws Exception {
    Process etcdctl = new ProcessBuilder("etcdctl", "--endpoints", "127.0.0.1:" + port, "get", key,
        "--print-value-only").redirectErrorStream(true).start();
    String out = new String(etcdctl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertThat(etcdctl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(etcdctl.exitValue()).as(out).isZero();
    return out;
  }
}
