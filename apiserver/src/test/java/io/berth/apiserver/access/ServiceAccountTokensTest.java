package io.berth.apiserver.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.client.tls.CertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAccountTokensTest {
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private final KeyPair key = CertificateAuthority.newKeyPair();
  private final ServiceAccountTokens tokens = at(key, NOW);

  @Test
  void aMintedTokenNamesItsServiceAccountInKubernetesTerms() {
    String token = tokens.mint("team-a", "builder", Duration.ofHours(1));
    assertThat(tokens.verify(token)).contains(new UserInfo("system:serviceaccount:team-a:builder",
        List.of("system:serviceaccounts", "system:serviceaccounts:team-a")));
  }

  @Test
  void manySignaturesSurviveTheDerToJoseRoundTrip() {
    // ECDSA signatures have leading zero bytes now and then; each must still verify.
    for (int i = 0; i < 200; i++) {
      assertThat(tokens.verify(tokens.mint("ns", "sa-" + i, Duration.ofHours(1)))).as("token " + i).isPresent();
    }
  }

  @Test
  void anExpiredTokenATamperedOneAndOneFromAnotherKeyAreNotAccepted() {
    String token = tokens.mint("team-a", "builder", Duration.ofMinutes(10));
    assertThat(at(key, NOW.plus(Duration.ofMinutes(11))).verify(token)).isEmpty();
    assertThat(at(CertificateAuthority.newKeyPair(), NOW).verify(token)).isEmpty();

    String[] parts = token.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("team-a:builder", "kube-system:admin0");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(tokens.verify(forged)).isEmpty();
    assertThat(tokens.verify("not.a.token")).isEmpty();
    assertThat(tokens.verify(parts[0] + "." + parts[1] + ".")).isEmpty();
  }

  @Test
  void aTokenBoundToAPodIsGoodOnlyWhileThatPodExistsWithItsUid() {
    java.util.Set<String> live = new java.util.HashSet<>(List.of("team-a/web/uid-1"));
    tokens.checkPodsWith((namespace, name, uid) -> live.contains(namespace + "/" + name + "/" + uid));
    String token = tokens.mint("team-a", "builder", Duration.ofHours(1),
        new ServiceAccountTokens.BoundPod("web", "uid-1"));
    String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(claims).contains("\"pod\":{\"name\":\"web\",\"uid\":\"uid-1\"}");
    assertThat(tokens.verify(token)).map(UserInfo::name).contains("system:serviceaccount:team-a:builder");

    live.clear();
    live.add("team-a/web/uid-2");     // deleted, and another pod of the same name made
    assertThat(tokens.verify(token)).isEmpty();
    assertThat(tokens.verify(tokens.mint("team-a", "builder", Duration.ofHours(1)))).as("an unbound token")
        .isPresent();
  }

  @Test
  void aTokenRequestBindsToAPodThatExistsAndRefusesOneThatDoesNot() throws Exception {
    tokens.checkPodsWith((namespace, name, uid) -> name.equals("web") && uid.equals("uid-1"));
    io.berth.apiserver.rest.ResourcePath path = io.berth.apiserver.rest.ResourcePath
        .parse("/api/v1/namespaces/team-a/serviceaccounts/builder/token").orElseThrow();
    byte[] bound = """
        {"spec":{"expirationSeconds":3607,"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"web","uid":"uid-1"}}}
        """.getBytes(StandardCharsets.UTF_8);
    var answer = TokenRequests.answer("POST", path, "application/json", bound, tokens);
    assertThat(answer.code()).isEqualTo(201);
    var json = io.berth.apiserver.rest.ObjectCodec.JSON.readTree(answer.body());
    assertThat(json.path("spec").path("boundObjectRef").path("uid").asText()).isEqualTo("uid-1");
    assertThat(tokens.verify(json.path("status").path("token").asText())).isPresent();

    byte[] gone = new String(bound, StandardCharsets.UTF_8).replace("uid-1", "uid-9").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TokenRequests.answer("POST", path, "application/json", gone, tokens))
        .isInstanceOfSatisfying(io.berth.apiserver.rest.ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    byte[] secret = new String(bound, StandardCharsets.UTF_8).replace("\"Pod\"", "\"Secret\"")
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TokenRequests.answer("POST", path, "application/json", secret, tokens))
        .isInstanceOfSatisfying(io.berth.apiserver.rest.ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  private static ServiceAccountTokens at(KeyPair key, Instant now) {
    return new ServiceAccountTokens(key.getPrivate(), key.getPublic(), Clock.fixed(now, ZoneOffset.UTC));
  }
}
