package io.berth.cli.certs;

import io.berth.client.tls.CertificateAuthority;
import io.berth.client.tls.CertificateAuthority.Usage;
import io.berth.client.tls.Identity;
import io.berth.client.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The certificates of one cluster in one directory: the CA, one certificate per server,
 * agent and ingress, the controller-manager, scheduler and admin client identities, and
 * the service-account signing key. Files that exist and chain to the CA are kept, so
 * running it again adds what is missing and changes nothing else.
 */
public final class ClusterPki {
  /** Kubernetes' names for the control-plane identities (RBAC's built-in bindings use them). */
  public static final Identity CONTROLLER_MANAGER = Identity.of("system:kube-controller-manager");
  public static final Identity SCHEDULER = Identity.of("system:kube-scheduler");
  public static final Identity ADMIN = Identity.of("admin", "system:masters");
  public static final Identity INGRESS = Identity.of("system:berth-ingress");
  public static final String INGRESS_FILE = "ingress";
  public static final String ADMIN_FILE = "admin";
  public static final String SERVICE_ACCOUNT_KEY = "sa.key";
  public static final String SERVICE_ACCOUNT_PUBLIC_KEY = "sa.pub";
  static final Duration VALIDITY = Duration.ofDays(365);
  /** Every serving certificate answers on loopback too, so local clients and probes verify it. */
  static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost");

  private final Path dir;
  private final CertificateAuthority ca;
  private final Consumer<String> report;

  private ClusterPki(Path dir, CertificateAuthority ca, Consumer<String> report) {
    this.dir = dir;
    this.ca = ca;
    this.report = report;
  }

  public static ClusterPki open(Path dir, Consumer<String> report) throws IOException {
    boolean existed = Files.exists(dir.resolve(CertificateAuthority.CERT_FILE));
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, "berth-ca");
    report.accept((existed ? "kept " : "created ") + dir.resolve(CertificateAuthority.CERT_FILE));
    return new ClusterPki(dir, ca, report);
  }

  /** A server: CN system:berth-server:NAME (a control-plane identity), serving and client, on its hosts. */
  public void server(String name, List<String> hosts) throws IOException {
    ensure(serverFile(name), serverIdentity(name), Usage.SERVER_AND_CLIENT, withLoopback(name, hosts));
  }

  /** The base name of a server's files (server-NAME.crt, server-NAME.key). */
  public static String serverFile(String name) {
    return "server-" + name;
  }

  /** The base name of an agent's files (node-NAME.crt, node-NAME.key). */
  public static String agentFile(String name) {
    return "node-" + name;
  }

  public static Identity serverIdentity(String name) {
    return Identity.of("system:berth-server:" + name, "system:masters");
  }

  /** An agent: CN system:node:NAME, O system:nodes (as a kubelet), serving its logs/exec on its hosts. */
  public void agent(String name, List<String> hosts) throws IOException {
    ensure(agentFile(name), Identity.of("system:node:" + name, "system:nodes"), Usage.SERVER_AND_CLIENT,
        withLoopback(name, hosts));
  }

  public void ingress(List<String> hosts) throws IOException {
    ensure(INGRESS_FILE, INGRESS, Usage.SERVER_AND_CLIENT, withLoopback("ingress", hosts));
  }

  /** The controller-manager, scheduler and admin client certificates. */
  public void clients() throws IOException {
    for (Map.Entry<String, Identity> client : Map.of("controller-manager", CONTROLLER_MANAGER, "scheduler", SCHEDULER,
        ADMIN_FILE, ADMIN).entrySet()) {
      ensure(client.getKey(), client.getValue(), Usage.CLIENT, List.of());
    }
  }

  /** The key service-account tokens are signed with (every server verifies them with sa.pub). */
  public void serviceAccountKey() throws IOException {
    Path key = dir.resolve(SERVICE_ACCOUNT_KEY);
    if (Files.exists(key)) {
      report.accept("kept " + key);
      return;
    }
    KeyPair pair = CertificateAuthority.newKeyPair();
    Pem.write(key, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
    Pem.write(dir.resolve(SERVICE_ACCOUNT_PUBLIC_KEY), CertificateAuthority.publicKeyPem(pair.getPublic()), false);
    report.accept("created " + key);
  }

  private void ensure(String name, Identity identity, Usage usage, List<String> hosts) throws IOException {
    Path cert = dir.resolve(name + ".crt");
    if (Files.exists(cert) && Files.exists(dir.resolve(name + ".key")) && issuedByCa(cert)) {
      report.accept("kept " + cert);
      return;
    }
    ca.issue(identity, usage, hosts, VALIDITY).writeTo(dir, name);
    report.accept("created " + cert + " (" + identity.user() + (identity.groups().isEmpty() ? ""
        : ", groups " + String.join(",", identity.groups())) + (hosts.isEmpty() ? "" : ", hosts " + hosts) + ")");
  }

  private boolean issuedByCa(Path cert) {
    try {
      X509Certificate certificate = Pem.readCertificates(cert).getFirst();
      certificate.verify(ca.certificate().getPublicKey());
      certificate.checkValidity();
      return true;
    } catch (IOException | GeneralSecurityException e) {
      return false;
    }
  }

  private static List<String> withLoopback(String name, List<String> hosts) {
    LinkedHashSet<String> all = new LinkedHashSet<>(hosts);
    all.addAll(LOOPBACK);
    all.add(name);
    return new ArrayList<>(all);
  }
}
