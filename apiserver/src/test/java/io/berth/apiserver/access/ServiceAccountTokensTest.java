package io.berth.apiserver.access;

import static org.assertj.core.api.Assertions.assertThat;

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

  private static ServiceAccountTokens at(KeyPair key, Instant now) {
    return new ServiceAccountTokens(key.getPrivate(), key.getPublic(), Clock.fixed(now, ZoneOffset.UTC));
  }
}
