package io.berth.apiserver.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How the names of one kind are checked. Every name is also one segment of a URL
 * path, so the path segment rules always apply first.
 */
public enum NameRule {
  /** Most kinds: names may contain dots (nodes are often host names). */
  DNS1123_SUBDOMAIN(Syntax::dns1123Subdomain),
  /** Namespaces: a name is also a DNS label in service host names. */
  DNS1123_LABEL(Syntax::dns1123Label),
  /** Services: the name is a DNS label that must start with a letter (Kubernetes 1.32). */
  DNS1035_LABEL(Syntax::dns1035Label),
  /** RBAC roles and bindings: any path segment ("system:kube-scheduler"), as Kubernetes allows. */
  PATH_SEGMENT(name -> List.of());

  private final Function<String, List<String>> syntax;

  NameRule(Function<String, List<String>> syntax) {
    this.syntax = syntax;
  }

  public List<String> check(String name) {
    List<String> problems = new ArrayList<>(Syntax.pathSegment(name));
    problems.addAll(syntax.apply(name));
    return problems;
  }

  /**
   * A generateName is a prefix: the server appends random characters, so a trailing '-' is
   * fine; it is checked as if it ended in a letter.
   */
  public List<String> checkPrefix(String prefix) {
    return check(prefix.endsWith("-") ? prefix.substring(0, prefix.length() - 1) + "a" : prefix);
  }
}
