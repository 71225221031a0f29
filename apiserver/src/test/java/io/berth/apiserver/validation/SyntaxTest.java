package io.berth.apiserver.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyntaxTest {
  @Test
  void subdomainsAllowDotsLabelsDoNot() {
    assertThat(Syntax.dns1123Subdomain("node-1.example.com")).isEmpty();
    assertThat(Syntax.dns1123Label("node-1.example.com")).isNotEmpty();
    assertThat(Syntax.dns1123Label("web-1")).isEmpty();
    assertThat(Syntax.dns1123Subdomain("Web")).isNotEmpty();
    assertThat(Syntax.dns1123Subdomain("-web")).isNotEmpty();
    assertThat(Syntax.dns1123Label("a".repeat(64))).contains("must be no more than 63 characters");
    assertThat(Syntax.dns1123Subdomain("a".repeat(254))).contains("must be no more than 253 characters");
  }

  @Test
  void serviceNamesMustStartWithALetter() {
    assertThat(Syntax.dns1035Label("web")).isEmpty();
    assertThat(Syntax.dns1035Label("1web")).singleElement().asString().startsWith("a DNS-1035 label");
  }

  @Test
  void namesAreSinglePathSegments() {
    assertThat(NameRule.DNS1123_SUBDOMAIN.check("..")).contains("may not be '..'");
    assertThat(Syntax.pathSegment("a/b")).containsExactly("may not contain '/'");
    assertThat(Syntax.pathSegment("a%2f")).containsExactly("may not contain '%'");
  }

  @Test
  void generateNameMayEndInADash() {
    assertThat(NameRule.DNS1123_SUBDOMAIN.checkPrefix("web-")).isEmpty();
    assertThat(NameRule.DNS1123_SUBDOMAIN.checkPrefix("Web-")).isNotEmpty();
  }

  @Test
  void qualifiedNamesHaveAnOptionalSubdomainPrefix() {
    assertThat(Syntax.qualifiedName("app")).isEmpty();
    assertThat(Syntax.qualifiedName("app.kubernetes.io/name")).isEmpty();
    assertThat(Syntax.qualifiedName("My_Key.1")).isEmpty();
    assertThat(Syntax.qualifiedName("/name")).containsExactly("prefix part must be non-empty");
    assertThat(Syntax.qualifiedName("Example.com/name")).singleElement().asString().startsWith("prefix part a lowercase");
    assertThat(Syntax.qualifiedName("a/b/c")).singleElement().asString().startsWith("a qualified name must");
    assertThat(Syntax.qualifiedName("x/" + "n".repeat(64))).contains("name part must be no more than 63 characters");
    assertThat(Syntax.qualifiedName("-x")).singleElement().asString().startsWith("name part must consist");
  }

  @Test
  void labelValuesMayBeEmptyButNotLong() {
    assertThat(Syntax.labelValue("")).isEmpty();
    assertThat(Syntax.labelValue("v1.2_3")).isEmpty();
    assertThat(Syntax.labelValue("v".repeat(64))).contains("must be no more than 63 characters");
    assertThat(Syntax.labelValue("a b")).isNotEmpty();
  }

  @Test
  void configKeysCannotWalkPaths() {
    assertThat(Syntax.configKey("app.properties")).isEmpty();
    assertThat(Syntax.configKey("..data")).containsExactly("must not start with '..'");
    assertThat(Syntax.configKey("a/b")).singleElement().asString().startsWith("a valid config key");
  }

  @Test
  void portNamesAreIanaServiceNames() {
    assertThat(Syntax.portName("http")).isEmpty();
    assertThat(Syntax.portName("http-metrics-long")).contains("must be no more than 15 characters");
    assertThat(Syntax.portName("80")).contains("must contain at least one letter (a-z)");
    assertThat(Syntax.portName("a--b")).contains("must not contain consecutive hyphens");
    assertThat(Syntax.portName("HTTP")).isNotEmpty();
  }

  @Test
  void ipsAreLiteralAddresses() {
    assertThat(Syntax.ip("10.0.0.1")).isEmpty();
    assertThat(Syntax.ip("2001:db8::1")).isEmpty();
    assertThat(Syntax.ip("10.0.0.256")).isNotEmpty();
    assertThat(Syntax.ip("example.com")).isNotEmpty();
    assertThat(Syntax.ip("010.0.0.1")).isNotEmpty();
  }
}
