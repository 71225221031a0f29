package io.berth.apiserver.access;

import java.util.List;

/**
 * How the API server authenticates and authorizes: the credential authenticators
 * (static tokens, the server's own loopback token; client certificates join them), whether
 * requests without credentials are let in as system:anonymous, and the authorization modes.
 *
 * @param credentials empty: no authentication at all, everyone is an administrator (what
 *     Berth did before authentication existed); anonymous is then meaningless
 */
public record AccessSettings(List<CredentialAuthenticator> credentials, boolean anonymous,
    List<AuthorizationMode> modes) {
  public AccessSettings {
    credentials = List.copyOf(credentials);
    modes = List.copyOf(modes);
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("at least one authorization mode is needed");
    }
  }

  /** No authentication, every request allowed. */
  public static AccessSettings open() {
    return new AccessSettings(List.of(), false, List.of(AuthorizationMode.ALWAYS_ALLOW));
  }

  public Authenticator authenticator() {
    return credentials.isEmpty() ? Authenticator.everyoneIsAdmin() : new AuthenticationChain(credentials, anonymous);
  }

  /** The authorizer of the modes, given what RBAC and Node decide by. */
  public Authorizer authorizer(RbacAuthorizer rbac, NodeAuthorizer.BoundPods pods) {
    return AuthorizationMode.union(modes.stream().map(mode -> switch (mode) {
      case ALWAYS_ALLOW -> Authorizer.allowAll();
      case ALWAYS_DENY -> (Authorizer) a -> Authorizer.Decision.deny("");
      case NODE -> new NodeAuthorizer(pods);
      case RBAC -> rbac;
    }).toList());
  }

  /** What authorized requests must also pass: node restriction, and RBAC escalation prevention with RBAC on. */
  public RequestAdmission admission(RbacAuthorizer rbac, Authorizer authorizer) {
    if (!modes.contains(AuthorizationMode.RBAC)) {
      return NodeRestriction::admit;
    }
    RbacEscalationCheck escalation = new RbacEscalationCheck(rbac, authorizer);
    return (attributes, request) -> {
      NodeRestriction.admit(attributes, request);
      escalation.admit(attributes, request);
    };
  }
}
