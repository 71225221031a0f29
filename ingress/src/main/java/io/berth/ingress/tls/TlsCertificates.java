package io.berth.ingress.tls;

import io.berth.ingress.routing.RouteWatcher;
import io.berth.ingress.routing.RoutingTable;
import io.fabric8.kubernetes.api.model.Secret;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS certificates of the hosts Ingresses name in {@code spec.tls}, from their
 * {@code kubernetes.io/tls} Secrets ({@code tls.crt}: PEM certificate chain, {@code tls.key}: PEM
 * PKCS#8 private key), chosen by the server name a client sends (SNI). Rebuilt after every routing
 * table: a Secret is read again only when its resourceVersion changed, so an updated Secret is
 * used from the next handshake on. A server name without a certificate gets the first one known
 * (as nginx's default server does); with no certificate at all the handshake fails.
 */
public final class TlsCertificates implements Mapping<String, SslContext>, RouteWatcher.Listener {
  private static final Logger log = LoggerFactory.getLogger(TlsCertificates.class);
  static final String TLS_TYPE = "kubernetes.io/tls";

  private record Loaded(String resourceVersion, SslContext context) {}

  private volatile Map<String, SslContext> byHost = Map.of();
  private volatile SslContext fallback;
  private final Map<String, Loaded> bySecret = new HashMap<>();

  @Override
  public SslContext map(String serverName) {
    Map<String, SslContext> hosts = byHost;
    if (serverName != null) {
      String host = serverName.toLowerCase(Locale.ROOT);
      SslContext exact = hosts.get(host);
      if (exact != null) {
        return exact;
      }
      int dot = host.indexOf('.');
      SslContext wildcard = dot > 0 ? hosts.get("*." + host.substring(dot + 1)) : null;
      if (wildcard != null) {
        return wildcard;
      }
    }
    return fallback;
  }

  /** Whether a certificate is loaded for {@code host} (for readiness and tests). */
  public boolean has(String host) {
    return byHost.containsKey(host.toLowerCase(Locale.ROOT));
  }

  @Override
  public synchronized void accept(RoutingTable table, Function<String, Optional<Secret>> secrets) {
    Map<String, SslContext> hosts = new HashMap<>();
    Map<String, Loaded> still = new HashMap<>();
    SslContext first = null;
    for (Map.Entry<String, String> entry : table.tlsSecrets().entrySet()) {
      String key = entry.getValue();
      Loaded loaded = still.containsKey(key) ? still.get(key) : load(key, secrets.apply(key).orElse(null));
      if (loaded == null) {
        continue;
      }
      still.put(key, loaded);
      hosts.put(entry.getKey(), loaded.context());
      first = first == null ? loaded.context() : first;
    }
    bySecret.keySet().retainAll(still.keySet());
    byHost = Map.copyOf(hosts);
    fallback = first;
  }

  private Loaded load(String key, Secret secret) {
    if (secret == null) {
      log.warn("TLS secret {} not found; its hosts get the default certificate", key);
      return null;
    }
    String version = secret.getMetadata().getResourceVersion();
    Loaded known = bySecret.get(key);
    if (known != null && known.resourceVersion() != null && known.resourceVersion().equals(version)) {
      return known;
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    if (!TLS_TYPE.equals(secret.getType()) || !data.containsKey("tls.crt") || !data.containsKey("tls.key")) {
      log.warn("secret {} is not a kubernetes.io/tls secret with tls.crt and tls.key; ignored", key);
      return null;
    }
    try {
      SslContext context = serverContext(Base64.getDecoder().decode(data.get("tls.crt")),
          Base64.getDecoder().decode(data.get("tls.key")));
      Loaded loaded = new Loaded(version, context);
      bySecret.put(key, loaded);
      log.info("TLS certificate loaded from secret {} (resourceVersion {})", key, version);
      return loaded;
    } catch (Exception e) {
      log.warn("secret {} holds no usable certificate and PKCS#8 key: {}", key, e.getMessage());
      return null;
    }
  }

  /** A server context offering HTTP/2 and HTTP/1.1 by ALPN. */
  static SslContext serverContext(byte[] certificatePem, byte[] keyPem) throws Exception {
    return SslContextBuilder.forServer(new ByteArrayInputStream(certificatePem), new ByteArrayInputStream(keyPem))
        .sslProvider(SslProvider.JDK)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
        .build();
  }
}
