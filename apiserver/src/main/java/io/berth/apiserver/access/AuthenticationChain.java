package io.berth.apiserver.access;

import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.Statuses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The union of the configured authenticators, as kube-apiserver runs them: the first that
 * accepts the request's credential names the user (who then also belongs to
 * system:authenticated); a credential that one refuses is offered to the others, and
 * one that none accepts is a 401. A request with no credential
 * at all is system:anonymous in system:unauthenticated when anonymous requests are
 * enabled, and a 401 otherwise.
 */
public final class AuthenticationChain implements Authenticator {
  public static final String AUTHENTICATED = "system:authenticated";
  public static final String UNAUTHENTICATED = "system:unauthenticated";
  public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of(UNAUTHENTICATED));
  private static final Logger log = LoggerFactory.getLogger(AuthenticationChain.class);

  private final List<CredentialAuthenticator> members;
  private final boolean anonymous;

  public AuthenticationChain(List<CredentialAuthenticator> members, boolean anonymous) {
    this.members = List.copyOf(members);
    this.anonymous = anonymous;
  }

  @Override
  public UserInfo authenticate(ApiRequest request) {
    String refusal = null;
    for (CredentialAuthenticator member : members) {
      try {
        Optional<UserInfo> user = member.authenticate(request);
        if (user.isPresent()) {
          return withAuthenticatedGroup(user.get());
        }
      } catch (CredentialAuthenticator.InvalidCredentialException e) {
        // Another member may know this credential (two token sources): ask them all first.
        refusal = e.getMessage();
      }
    }
    if (refusal != null) {
      log.info("refused {} {}: {}", request.method(), request.path(), refusal);
      throw Statuses.unauthorized();
    }
    if (anonymous) {
      return ANONYMOUS;
    }
    throw Statuses.unauthorized();
  }

  private static UserInfo withAuthenticatedGroup(UserInfo user) {
    if (user.groups().contains(AUTHENTICATED)) {
      return user;
    }
    List<String> groups = new ArrayList<>(user.groups());
    groups.add(AUTHENTICATED);
    return new UserInfo(user.name(), groups);
  }
}
