package io.berth.client.tls;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who a certificate says its holder is, as Kubernetes reads a client certificate: the
 * subject's CN is the user name, each O a group.
 */
public record Identity(String user, List<String> groups) {
  public Identity {
    groups = List.copyOf(groups);
  }

  public static Identity of(String user, String... groups) {
    return new Identity(user, List.of(groups));
  }

  /** The CN and O's of {@code certificate}'s subject; the user is empty when it has no CN. */
  public static Identity of(X509Certificate certificate) {
    String user = "";
    List<String> groups = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          user = String.valueOf(rdn.getValue());
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          groups.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      // The JDK produced this RFC 2253 name itself, so it parses; an unreadable one names no one.
    }
    return new Identity(user, groups);
  }
}
