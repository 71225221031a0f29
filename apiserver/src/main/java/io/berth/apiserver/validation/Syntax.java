package io.berth.apiserver.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string syntaxes Kubernetes checks names, keys and values against. Each check
 * returns the list of what is wrong (empty when the value is fine), in the words
 * kube-apiserver uses, because users paste them into searches.
 */
public final class Syntax {
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern IANA_SVC_NAME_CHARS = Pattern.compile("[-a-z0-9]+");

  static final int LABEL_MAX = 63;
  static final int SUBDOMAIN_MAX = 253;

  private Syntax() {}

  /** Namespaces and most label-like names: lower case letters, digits and '-', at most 63. */
  public static List<String> dns1123Label(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > LABEL_MAX) {
      problems.add(maxLength(LABEL_MAX));
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      problems.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
          + "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
          + "validation is '" + LABEL + "')");
    }
    return problems;
  }

  /** Most object names: dot-separated DNS-1123 labels, at most 253. */
  public static List<String> dns1123Subdomain(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > SUBDOMAIN_MAX) {
      problems.add(maxLength(SUBDOMAIN_MAX));
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      problems.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
          + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
          + "validation is '" + LABEL + "(\\." + LABEL + ")*')");
    }
    return problems;
  }

  /** Service names: a DNS label that starts with a letter, so it is also a valid DNS name under any search path. */
  public static List<String> dns1035Label(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > LABEL_MAX) {
      problems.add(maxLength(LABEL_MAX));
    }
    if (!DNS1035_LABEL.matcher(value).matches()) {
      problems.add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
          + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex "
          + "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    }
    return problems;
  }

  /** A host name that may start with "*." (ingress rules and TLS hosts). */
  public static List<String> wildcardSubdomain(String value) {
    return value.startsWith("*.") ? dns1123Subdomain(value.substring(2)) : dns1123Subdomain(value);
  }

  /**
   * Names that become one segment of a URL path: "." and ".." would walk the path, "/" and "%"
   * would split or escape it.
   */
  public static List<String> pathSegment(String value) {
    List<String> problems = new ArrayList<>();
    if (value.equals(".") || value.equals("..")) {
      problems.add("may not be '" + value + "'");
    }
    for (String forbidden : List.of("/", "%")) {
      if (value.contains(forbidden)) {
        problems.add("may not contain '" + forbidden + "'");
      }
    }
    return problems;
  }

  /** Label and annotation keys, finalizers: an optional DNS subdomain prefix and "/", then a name of at most 63. */
  public static List<String> qualifiedName(String value) {
    List<String> problems = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      name = parts[1];
      if (parts[0].isEmpty()) {
        problems.add("prefix part must be non-empty");
      } else {
        dns1123Subdomain(parts[0]).forEach(p -> problems.add("prefix part " + p));
      }
    } else {
      problems.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and "
          + "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
          + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and "
          + "'/' (e.g. 'example.com/MyName')");
      return problems;
    }
    if (name.isEmpty()) {
      problems.add("name part must be non-empty");
    } else if (name.length() > LABEL_MAX) {
      problems.add("name part " + maxLength(LABEL_MAX));
    }
    if (!name.isEmpty() && !QUALIFIED_NAME_PART.matcher(name).matches()) {
      problems.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
          + "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
          + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    }
    return problems;
  }

  /** Label values: empty, or at most 63 of letters, digits, '-', '_' and '.', alphanumeric at both ends. */
  public static List<String> labelValue(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > LABEL_MAX) {
      problems.add(maxLength(LABEL_MAX));
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      problems.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
          + "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
          + "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }
    return problems;
  }

  /** Keys of ConfigMap and Secret data: they become file names, so no path tricks. */
  public static List<String> configKey(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > SUBDOMAIN_MAX) {
      problems.add(maxLength(SUBDOMAIN_MAX));
    }
    if (!CONFIG_KEY.matcher(value).matches()) {
      problems.add("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  "
          + "or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    }
    if (value.equals(".")) {
      problems.add("must not be '.'");
    } else if (value.equals("..")) {
      problems.add("must not be '..'");
    } else if (value.startsWith("..")) {
      problems.add("must not start with '..'");
    }
    return problems;
  }

  public static List<String> envVarName(String value) {
    return ENV_VAR_NAME.matcher(value).matches() ? List.of()
        : List.of("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or "
            + "'.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', "
            + "regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')");
  }

  /** Port names (IANA service names): what a named targetPort or SRV record refers to. */
  public static List<String> portName(String value) {
    List<String> problems = new ArrayList<>();
    if (value.length() > 15) {
      problems.add(maxLength(15));
    }
    if (!IANA_SVC_NAME_CHARS.matcher(value).matches()) {
      problems.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (value.contains("--")) {
      problems.add("must not contain consecutive hyphens");
    }
    if (value.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
      problems.add("must contain at least one letter (a-z)");
    }
    if (value.startsWith("-") || value.endsWith("-")) {
      problems.add("must not begin or end with a hyphen");
    }
    return problems;
  }

  /** A literal IPv4 or IPv6 address (no host names: this must not trigger a DNS lookup). */
  public static List<String> ip(String value) {
    boolean ok = isIpv4(value) || (value.contains(":") && value.matches("[0-9a-fA-F:.]+") && isIpv6(value));
    return ok ? List.of() : List.of("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
  }

  static boolean isIpv4(String value) {
    String[] parts = value.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255 || (p.length() > 1 && p.startsWith("0"))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String value) {
    try {
      // Only hex digits, ':' and '.' reach here, so this parses a literal and never resolves a name.
      return java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  static String maxLength(int max) {
    return "must be no more than " + max + " characters";
  }
}
