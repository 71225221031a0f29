package io.berth.apiserver.access;

/**
 * The authorization stage of the request path: may this user do this? RBAC and
 * node restriction come with the security issue; until then every request is
 * allowed.
 */
public interface Authorizer {
  /** The decision, with a reason a refused client is told. */
  record Decision(boolean allowed, String reason) {
    public static Decision allow() {
      return new Decision(true, "");
    }

    public static Decision deny(String reason) {
      return new Decision(false, reason);
    }
  }

  Decision authorize(RequestAttributes attributes);

  static Authorizer allowAll() {
    return attributes -> Decision.allow();
  }
}
