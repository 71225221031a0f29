package io.berth.apiserver.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The authorizers of {@code --authorization-mode}, in the order given, as kube-apiserver
 * runs them: the first that allows a request decides; a request none allows is refused.
 */
public enum AuthorizationMode {
  ALWAYS_ALLOW("AlwaysAllow"),
  ALWAYS_DENY("AlwaysDeny"),
  NODE("Node"),
  RBAC("RBAC");

  private final String flagName;

  AuthorizationMode(String flagName) {
    this.flagName = flagName;
  }

  public String flagName() {
    return flagName;
  }

  /**
   * "Node,RBAC" as a list of modes.
   *
   * @throws IllegalArgumentException naming the unknown or repeated mode and the known ones
   */
  public static List<AuthorizationMode> parse(String flag) {
    List<AuthorizationMode> modes = new ArrayList<>();
    for (String part : flag.split(",")) {
      String name = part.strip();
      AuthorizationMode mode = null;
      for (AuthorizationMode m : values()) {
        if (m.flagName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
          mode = m;
        }
      }
      if (mode == null) {
        throw new IllegalArgumentException("unknown authorization mode \"" + name
            + "\" (known: AlwaysAllow, AlwaysDeny, Node, RBAC)");
      }
      if (modes.contains(mode)) {
        throw new IllegalArgumentException("authorization mode " + mode.flagName + " is listed twice");
      }
      modes.add(mode);
    }
    return List.copyOf(modes);
  }

  /** The first authorizer that allows decides; otherwise refused, with the reasons the authorizers gave. */
  public static Authorizer union(List<Authorizer> authorizers) {
    List<Authorizer> chain = List.copyOf(authorizers);
    return attributes -> {
      List<String> reasons = new ArrayList<>();
      for (Authorizer a : chain) {
        Authorizer.Decision decision = a.authorize(attributes);
        if (decision.allowed()) {
          return decision;
        }
        if (!decision.reason().isEmpty()) {
          reasons.add(decision.reason());
        }
      }
      return Authorizer.Decision.deny(String.join("\n", reasons));
    };
  }
}
