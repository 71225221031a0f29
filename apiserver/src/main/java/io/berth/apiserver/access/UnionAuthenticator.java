package io.berth.apiserver.access;

import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ApiRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The authentication stage as kube-apiserver composes it: each credential authenticator
 * in turn, the first that recognises a credential decides (an invalid one is a 401 at
 * once, not a fall-through to anonymous); a request with no credential at all is
 * system:anonymous when anonymous requests are allowed and a 401 otherwise. Every
 * authenticated user is in system:authenticated, as Kubernetes adds it.
 */
public final class UnionAuthenticator implements Authenticator {
  static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of("system:unauthenticated"));

  private final List<CredentialAuthenticator> authenticators;
  private final boolean anonymous;

  public UnionAuthenticator(List<CredentialAuthenticator> authenticators, boolean anonymous) {
    this.authenticators = List.copyOf(authenticators);
    this.anonymous = anonymous;
  }

  /** This union with {@code another} tried after the ones it has (a static token file, say). */
  public UnionAuthenticator with(CredentialAuthenticator another) {
    List<CredentialAuthenticator> all = new ArrayList<>(authenticators);
    all.add(another);
    return new UnionAuthenticator(all, anonymous);
  }

  @Override
  public UserInfo authenticate(ApiRequest request) {
    for (CredentialAuthenticator authenticator : authenticators) {
      Optional<UserInfo> user = authenticator.authenticate(request);
      if (user.isPresent()) {
        return authenticated(user.get());
      }
    }
    if (anonymous) {
      return ANONYMOUS;
    }
    throw unauthorized();
  }

  /** kube-apiserver's answer to a request it cannot tie to anyone: 401, reason Unauthorized. */
  public static ApiException unauthorized() {
    return new ApiException(401, "Unauthorized", "Unauthorized");
  }

  private static UserInfo authenticated(UserInfo user) {
    LinkedHashSet<String> groups = new LinkedHashSet<>(user.groups());
    groups.add("system:authenticated");
    return new UserInfo(user.name(), List.copyOf(groups));
  }
}
