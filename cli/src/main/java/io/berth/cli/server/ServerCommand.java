package io.berth.cli.server;

import io.berth.apiserver.access.AccessSettings;
import io.berth.apiserver.access.AuthorizationMode;
import io.berth.apiserver.access.CredentialAuthenticator;
import io.berth.apiserver.access.TokenFile;
import io.berth.apiserver.audit.AuditLog;
import io.berth.apiserver.audit.AuditSink;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.access.ApiSecurity;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.storage.encryption.AtRestEncryption;
import io.berth.apiserver.storage.encryption.EncryptionConfig;
import io.berth.apiserver.storage.encryption.ValueTransformer;
import io.berth.apiserver.dashboard.StoreMemberStatuses;
import io.berth.apiserver.http.ApiServer;
import io.berth.client.Client;
import io.berth.controllers.ClusterControllers;
import io.berth.controllers.SharedInformers;
import io.berth.election.ElectionMetrics;
import io.berth.scheduler.runtime.SchedulerSettings;
import io.berth.election.ElectionSettings;
import io.berth.cli.UserError;
import io.berth.cli.admin.AdminHttpServer;
import io.berth.store.server.StoreConfig;
import io.berth.store.server.StoreServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth server}: one control-plane replica: a store replica and the Kubernetes API served on it. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run one control-plane replica (the replicated store, its etcd v3 API and the Kubernetes API).")
public final class ServerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  @Option(names = "--name", required = true, description = "This member's name; must be one of --peers.")
  String name;

  @Option(names = "--data-dir", required = true, description = "Directory for the Raft log, snapshots and identity.")
  Path dataDir;

  @Option(names = "--peers", required = true, split = ",", paramLabel = "NAME=HOST:PORT",
      description = "Every member's Raft peer address, this one included, e.g. n1=10.0.0.1:2380,n2=10.0.0.2:2380,n3=10.0.0.3:2380.")
  Map<String, String> peers = new LinkedHashMap<>();

  @Option(names = "--client-listen", defaultValue = "127.0.0.1:2379", paramLabel = "HOST:PORT",
      description = "Where the etcd v3 gRPC API listens (default: ${DEFAULT-VALUE}).")
  String clientListen;

  @Option(names = "--api-listen", defaultValue = "127.0.0.1:6443", paramLabel = "HOST:PORT",
      description = "Where the Kubernetes API listens (default: ${DEFAULT-VALUE}). Without --tls-cert-file it is "
          + "plain HTTP, and without --token-auth-file it lets everyone in as an administrator: keep it on loopback then.")
  String apiListen;

  @Option(names = "--tls-cert-file", paramLabel = "FILE",
      description = "PEM certificate of this replica (berth certs: server-NAME.crt). Turns TLS on for the "
          + "Kubernetes API (HTTPS), the etcd API and Raft peer traffic; it must be valid for serving and as a client.")
  Path tlsCertFile;

  @Option(names = "--tls-private-key-file", paramLabel = "FILE", description = "Its PKCS#8 PEM key (server-NAME.key).")
  Path tlsKeyFile;

  @Option(names = "--client-ca-file", paramLabel = "FILE",
      description = "CA bundle (berth certs: ca.crt) that client certificates of the Kubernetes API, the etcd API "
          + "and peers must chain to; required with --tls-cert-file.")
  Path clientCaFile;

  @Option(names = "--service-account-key-file", paramLabel = "FILE",
      description = "PEM public key service-account tokens are verified with (berth certs: sa.pub); with TLS on.")
  Path serviceAccountKeyFile;

  @Option(names = "--service-account-signing-key-file", paramLabel = "FILE",
      description = "PKCS#8 PEM key TokenRequest signs service-account tokens with (berth certs: sa.key).")
  Path serviceAccountSigningKeyFile;

  @Option(names = "--advertise-client-host", paramLabel = "HOST",
      description = "Host that clients are told to use in MemberList (default: the --client-listen host).")
  String advertiseClientHost;

  @Option(names = "--metrics-listen", defaultValue = "127.0.0.1:9379", paramLabel = "HOST:PORT",
      description = "Where /metrics, /healthz, /readyz and /livez are served (default: ${DEFAULT-VALUE}).")
  String metricsListen;

  @Option(names = "--cluster-token", defaultValue = "berth",
      description = "Names the cluster; a data dir of another cluster is refused (default: ${DEFAULT-VALUE}).")
  String clusterToken;

  @Option(names = "--join", description = "Join a running cluster after 'berth member add' or 'etcdctl member add' "
      + "(the data dir must be new); the member takes the ID MemberAdd gave its peer address.")
  boolean join;

  @Option(names = "--snapshot-count", defaultValue = "100000",
      description = "Log entries between state machine snapshots (default: ${DEFAULT-VALUE}).")
  long snapshotCount;

  @Option(names = "--quota-backend-bytes", defaultValue = "" + StoreConfig.DEFAULT_QUOTA_BYTES,
      description = "Total size quota; writes beyond it fail with 'database space exceeded' (default: ${DEFAULT-VALUE}).")
  long quotaBytes;

  @Option(names = "--max-request-bytes", defaultValue = "" + StoreConfig.DEFAULT_MAX_REQUEST_BYTES,
      description = "Largest request accepted (default: ${DEFAULT-VALUE}).")
  long maxRequestBytes;

  @Option(names = "--auto-compaction-retention", defaultValue = "0", paramLabel = "DURATION",
      description = "Keep this much history and compact older revisions, e.g. 1h or 30m; 0 keeps all (default: ${DEFAULT-VALUE}).")
  String autoCompactionRetention;

  @Option(names = "--election-timeout-ms", defaultValue = "250", paramLabel = "MS",
      description = "Minimum Raft election timeout; the maximum is twice it (default: ${DEFAULT-VALUE}).")
  long electionTimeoutMs;

  @Option(names = "--leader-election-ttl", defaultValue = "1s", paramLabel = "DURATION",
      description = "TTL of the store lease behind the controller-manager (and scheduler) elections: a killed "
          + "leader is replaced about this long after (default: ${DEFAULT-VALUE}).")
  String leaderElectionTtl;

  @Option(names = "--leader-election-renew-period", defaultValue = "200ms", paramLabel = "DURATION",
      description = "How often a candidate renews its election lease; at least two renewals must fit in the TTL "
          + "(default: ${DEFAULT-VALUE}).")
  String leaderElectionRenewPeriod;

  @Option(names = "--node-monitor-grace-period", defaultValue = "40s", paramLabel = "DURATION",
      description = "How long a node may go without a heartbeat before it is Ready=Unknown and tainted "
          + "unreachable (default: ${DEFAULT-VALUE}).")
  String nodeMonitorGracePeriod;

  @Option(names = "--default-unreachable-toleration", defaultValue = "300s", paramLabel = "DURATION",
      description = "How long pods without a toleration of their own stay on an unreachable or not-ready node "
          + "before they are evicted (default: ${DEFAULT-VALUE}).")
  String defaultUnreachableToleration;

  @Option(names = "--scheduler-max-in-flight-binds", defaultValue = "128", paramLabel = "N",
      description = "Bindings the scheduler sends without waiting for their answers (default: ${DEFAULT-VALUE}).")
  int maxInFlightBinds;

  @Option(names = "--token-auth-file", paramLabel = "FILE",
      description = "Static bearer tokens, one CSV line each as kube-apiserver reads them: "
          + "token,user,uid,\"group1,group2\". Given: requests must authenticate (401 otherwise). "
          + "Not given: no authentication, every caller is an administrator.")
  Path tokenAuthFile;

  @Option(names = "--anonymous-auth", defaultValue = "false", fallbackValue = "true", arity = "0..1",
      description = "With authentication on (TLS or --token-auth-file), let requests without credentials in as "
          + "system:anonymous "
          + "(group system:unauthenticated) instead of answering 401 (default: ${DEFAULT-VALUE}).")
  boolean anonymousAuth;

  @Option(names = "--authorization-mode", defaultValue = "AlwaysAllow", paramLabel = "MODES",
      description = "Authorizers in order, comma separated: AlwaysAllow, AlwaysDeny, Node, RBAC; the first that "
          + "allows decides. Use Node,RBAC with authentication (default: ${DEFAULT-VALUE}).")
  String authorizationMode;

  @Option(names = "--audit-log-path", paramLabel = "FILE",
      description = "Write one JSON line (audit.k8s.io/v1 Event, level Metadata) per mutating API request here. "
          + "Not given: no audit log.")
  Path auditLogPath;

  @Option(names = "--audit-log-maxsize", defaultValue = "100", paramLabel = "MEGABYTES",
      description = "Rotate the audit log before it grows past this many megabytes; 0 never rotates "
          + "(default: ${DEFAULT-VALUE}).")
  long auditLogMaxSize;

  @Option(names = "--audit-log-maxbackups", defaultValue = "10", paramLabel = "N",
      description = "Rotated audit logs to keep, newest first; 0 keeps all (default: ${DEFAULT-VALUE}).")
  int auditLogMaxBackups;

  @Option(names = "--encryption-provider-config", paramLabel = "FILE",
      description = "An EncryptionConfiguration (apiserver.config.k8s.io/v1) as kube-apiserver reads it: the "
          + "resources (e.g. secrets) whose values are encrypted in the store, with aesgcm keys (the first "
          + "encrypts, all decrypt) and identity. Not given: values are stored as they are.")
  Path encryptionProviderConfig;

  @Override
  public Integer call() throws Exception {
    HostPort client = HostPort.parse("--client-listen", clientListen);
    HostPort metrics = HostPort.parse("--metrics-listen", metricsListen);
    HostPort api = HostPort.parse("--api-listen", apiListen);
    peers.forEach((peerName, address) -> HostPort.parse("--peers " + peerName, address));
    if (!peers.containsKey(name)) {
      throw new UserError("--name " + name + " is not one of --peers " + peers.keySet());
    }
    if (electionTimeoutMs < 50) {
      throw new UserError("--election-timeout-ms must be at least 50, got " + electionTimeoutMs);
    }
    ServerTls tls = ServerTls.fromFlags(tlsCertFile, tlsKeyFile, clientCaFile, anonymousAuth,
        serviceAccountKeyFile, serviceAccountSigningKeyFile);
    ElectionSettings elections = electionSettings();
    String loopbackToken = LoopbackToken.generate();
    AccessSettings access = accessSettings(loopbackToken);
    Map<String, ValueTransformer> encryption = encryption();
    if (auditLogMaxSize < 0 || auditLogMaxBackups < 0) {
      throw new UserError("--audit-log-maxsize and --audit-log-maxbackups cannot be negative");
    }
    SchedulerSettings schedulerSettings = schedulerSettings();
    StoreConfig config = StoreConfig.builder()
        .name(name)
        .dataDir(dataDir.toAbsolutePath())
        .peers(peers)
        .clientHost(client.host())
        .clientPort(client.port())
        .advertiseClientHost(advertiseClientHost)
        .clusterToken(clusterToken)
        .joinExisting(join)
        .snapshotEveryEntries(snapshotCount)
        .quotaBytes(quotaBytes)
        .maxRequestBytes(maxRequestBytes)
        .electionTimeout(Duration.ofMillis(electionTimeoutMs), Duration.ofMillis(2 * electionTimeoutMs))
        .autoCompactionRetention(DurationFlag.parse("--auto-compaction-retention", autoCompactionRetention))
        .tls(tls == null ? null : tls.store())
        .build();

    StoreServer store;
    try {
      store = StoreServer.start(config);
    } catch (BindException e) {
      throw new UserError("the peer address of " + name + " (" + config.peerAddress() + ", from --peers) is in use");
    } catch (IOException e) {
      if (hasBindCause(e)) {
        throw new UserError(e.getMessage().contains("--client-listen") ? e.getMessage()
            : "the peer address of " + name + " (" + config.peerAddress() + ", from --peers) is in use");
      }
      throw e;
    }
    JvmMetrics.builder().register(store.metricsRegistry());
    AuditSink audit = AuditSink.none();
    if (auditLogPath != null) {
      try {
        audit = new AuditLog(auditLogPath, auditLogMaxSize * 1024 * 1024, auditLogMaxBackups, Clock.systemUTC(),
            store.metricsRegistry());
      } catch (IOException e) {
        store.close();
        throw new UserError("--audit-log-path " + auditLogPath + ": cannot write it: " + e.getMessage());
      }
    }
    AdminHttpServer admin;
    try {
      admin = new AdminHttpServer(metrics.socketAddress(), store.metricsRegistry(), store::isLive, store::isHealthy,
          store::isHealthy)
          .start();
    } catch (BindException e) {
      store.close();
      throw new UserError("cannot serve metrics on " + metricsListen + " (--metrics-listen): address in use");
    }
    ApiServer apiServer;
    StoreMemberStatuses memberStatuses = new StoreMemberStatuses(store.membership(), tls == null ? null : tls.store());
    try {
      apiServer = ApiServer.start(api.socketAddress(), store.node(), WatchCache.Settings.defaults(),
          store.metricsRegistry(), tls == null ? ApiSecurity.plaintext() : tls.api(access.credentials()), access,
          audit, encryption, memberStatuses);
    } catch (BindException e) {
      memberStatuses.close();
      admin.close();
      store.close();
      throw new UserError("cannot serve the Kubernetes API on " + apiListen + " (--api-listen): address in use");
    }
    // One client and one set of informers for the leader-only components of this replica:
    // the scheduler and the controllers read the same pods and nodes from one watch each.
    // Over TLS they are this replica, with its own certificate (group system:masters); the loopback
    // token is sent too, which is what authenticates them over plain HTTP with --token-auth-file.
    Client.Builder ownApiBuilder = Client.builder()
        .endpoints((tls == null ? "http://" : "https://") + loopbackOr(api.host()) + ":" + apiServer.port())
        .header("Authorization", "Bearer " + loopbackToken);
    if (tls != null) {
      ownApiBuilder.tls(tls.files());
    }
    Client ownApi = ownApiBuilder.build();
    SharedInformers informers = new SharedInformers(ownApi);
    String storeEndpoint = loopbackOr(client.host()) + ":" + store.clientPort();
    ElectionMetrics electionMetrics = ElectionMetrics.register(store.metricsRegistry());
    SchedulerRole scheduler;
    ControllerManagerRole controllers;
    try {
      scheduler = SchedulerRole.start(name, ownApi, informers, storeEndpoint, tls == null ? null : tls.store(), elections, schedulerSettings,
          electionMetrics, store.metricsRegistry());
      controllers = ControllerManagerRole.start(name, ownApi, informers, storeEndpoint,
          tls == null ? null : tls.store(), elections,
          controllerSettings(), electionMetrics, store.metricsRegistry(),
          tls == null ? null : java.nio.file.Files.readString(tls.files().caFile()));
      informers.start();
    } catch (RuntimeException e) {
      informers.close();
      ownApi.close();
      apiServer.close();
      admin.close();
      store.close();
      throw e;
    }
    log.info("berth server {} ready: etcd API on {}:{}, Kubernetes API on {}, metrics on {}", name, client.host(),
        store.clientPort(), apiListen, metricsListen);

    CountDownLatch stopped = new CountDownLatch(1);
    AuditSink auditToClose = audit;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("berth server {} shutting down", name);
      scheduler.close();
      controllers.close();
      informers.close();
      ownApi.close();
      apiServer.close();
      memberStatuses.close();
      if (auditToClose instanceof AuditLog file) {
        file.close();
      }
      admin.close();
      store.close();
      stopped.countDown();
    }, "berth-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * Authentication from --token-auth-file (plus this process's own loopback token for its
   * scheduler and controllers, as kube-apiserver's loopback client has), authorization from
   * --authorization-mode.
   */
  private AccessSettings accessSettings(String loopbackToken) {
    List<AuthorizationMode> modes;
    try {
      modes = AuthorizationMode.parse(authorizationMode);
    } catch (IllegalArgumentException e) {
      throw new UserError("--authorization-mode " + authorizationMode + ": " + e.getMessage());
    }
    List<CredentialAuthenticator> credentials = new ArrayList<>();
    if (tokenAuthFile != null) {
      TokenFile tokens;
      try {
        tokens = TokenFile.read(tokenAuthFile);
      } catch (IOException e) {
        throw new UserError("--token-auth-file " + tokenAuthFile + ": cannot read it: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new UserError("--token-auth-file: " + e.getMessage());
      }
      credentials.add(tokens);
      log.info("{} static tokens from {}", tokens.size(), tokenAuthFile);
    }
    // (Client certificates join the list here.)
    if (credentials.isEmpty()) {
      return new AccessSettings(List.of(), false, modes);
    }
    // Whatever else authenticates, this server's own components do with their loopback token.
    credentials.add(0, LoopbackToken.authenticator(loopbackToken));
    log.info("authentication on; anonymous requests {}; authorization {}", anonymousAuth ? "allowed" : "refused",
        authorizationMode);
    return new AccessSettings(credentials, anonymousAuth, modes);
  }

  private Map<String, ValueTransformer> encryption() {
    if (encryptionProviderConfig == null) {
      return Map.of();
    }
    try {
      Map<String, ValueTransformer> byResource = EncryptionConfig.read(encryptionProviderConfig);
      AtRestEncryption.of(byResource, ResourceTable.builtIn()); // refuses a resource the API does not serve
      log.info("encryption at rest for {}", byResource.keySet());
      return byResource;
    } catch (IOException e) {
      throw new UserError("--encryption-provider-config " + encryptionProviderConfig + ": cannot read it: "
          + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UserError("--encryption-provider-config " + encryptionProviderConfig + ": " + e.getMessage());
    }
  }

  private SchedulerSettings schedulerSettings() {
    if (maxInFlightBinds < 1) {
      throw new UserError("--scheduler-max-in-flight-binds must be at least 1, got " + maxInFlightBinds);
    }
    return SchedulerSettings.defaults().withMaxInFlightBinds(maxInFlightBinds);
  }

  private ClusterControllers.Settings controllerSettings() {
    ClusterControllers.Settings defaults = ClusterControllers.Settings.defaults();
    return new ClusterControllers.Settings(defaults.nodeLifecycle()
        .withHeartbeatGrace(DurationFlag.parse("--node-monitor-grace-period", nodeMonitorGracePeriod))
        .withDefaultToleration(DurationFlag.parse("--default-unreachable-toleration", defaultUnreachableToleration)),
        defaults.podGc(), defaults.namespaceRecheck());
  }

  private ElectionSettings electionSettings() {
    try {
      return ElectionSettings.builder()
          .ttl(DurationFlag.parse("--leader-election-ttl", leaderElectionTtl))
          .renewPeriod(DurationFlag.parse("--leader-election-renew-period", leaderElectionRenewPeriod))
          .build();
    } catch (IllegalArgumentException e) {
      throw new UserError("--leader-election-ttl / --leader-election-renew-period: " + e.getMessage());
    }
  }

  /** Where this process reaches its own listener: a wildcard address is reached on loopback. */
  private static String loopbackOr(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
  }

  private static boolean hasBindCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException || String.valueOf(c.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }
}
