package io.berth.store.tls;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Lets only control-plane identities use the etcd API: the TLS handshake already required a
 * certificate from the cluster CA, and this admits it only when its subject has O
 * system:masters (the servers' own certificates and the admin's, as {@code berth certs}
 * issues them). Agents, the ingress and users get PERMISSION_DENIED: the store holds every
 * Secret unfiltered, so they go through the Kubernetes API and its authorization instead.
 */
public final class ControlPlaneOnly implements ServerInterceptor {
  public static final String GROUP = "system:masters";

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String refusal = refusal(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (refusal != null) {
      call.close(Status.PERMISSION_DENIED.withDescription(refusal), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  private static String refusal(SSLSession session) {
    if (session == null) {
      return "the etcd API needs TLS with a client certificate";
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
        return "the etcd API needs a client certificate";
      }
      List<String> groups = new ArrayList<>();
      String user = "";
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("O")) {
          groups.add(String.valueOf(rdn.getValue()));
        } else if (rdn.getType().equalsIgnoreCase("CN")) {
          user = String.valueOf(rdn.getValue());
        }
      }
      return groups.contains(GROUP) ? null
          : "the etcd API is for control-plane identities (group " + GROUP + "); \"" + user + "\" is not one";
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      return "the etcd API needs a verified client certificate";
    }
  }
}
