package io.berth.apiserver.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ApiRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenFileTest {
  private static final TokenFile TOKENS = TokenFile.parse("tokens.csv", """
      # kube-apiserver's format: token,user,uid,"group1,group2"
      t-admin,root,1,"system:masters,ops"
      t-alice,alice,2

      t-bob,bob,3,""
      """);

  @Test
  void aKnownTokenNamesItsUserAndGroups() {
    assertThat(TOKENS.authenticate(bearer("t-admin")))
        .contains(new UserInfo("root", List.of("system:masters", "ops")));
    assertThat(TOKENS.authenticate(bearer("t-alice"))).contains(new UserInfo("alice", List.of()));
    assertThat(TOKENS.authenticate(request(Map.of("authorization", "bearer t-bob"))))
        .contains(new UserInfo("bob", List.of()));
    assertThat(TOKENS.size()).isEqualTo(3);
  }

  @Test
  void anUnknownTokenIsAnInvalidCredential() {
    assertThatThrownBy(() -> TOKENS.authenticate(bearer("t-nobody")))
        .isInstanceOf(CredentialAuthenticator.InvalidCredentialException.class);
  }

  @Test
  void otherSchemesAndEmptyTokensAreNotBearerCredentials() {
    assertThat(TOKENS.authenticate(request(Map.of()))).isEmpty();
    assertThat(TOKENS.authenticate(request(Map.of("Authorization", "Basic dTpw")))).isEmpty();
    assertThat(TOKENS.authenticate(request(Map.of("Authorization", "Bearer ")))).isEmpty();
  }

  @Test
  void malformedFilesAreRefusedNamingTheLine() {
    assertThatThrownBy(() -> TokenFile.parse("f", "t1,u1,1\nonlytoken\n"))
        .hasMessage("f line 2: want token,user,uid[,\"group1,group2\"], with a token and a user");
    assertThatThrownBy(() -> TokenFile.parse("f", "t1,u1,1\nt1,u2,2\n")).hasMessage("f line 2: this token is listed twice");
    assertThatThrownBy(() -> TokenFile.parse("f", "t1,u1,1,\"a,b\n")).hasMessage("f line 1: a quote is not closed");
  }

  @Test
  void theChainAddsSystemAuthenticatedAndRefusesWhatNoOneAccepts() {
    AuthenticationChain closed = new AuthenticationChain(List.of(TOKENS), false);
    assertThat(closed.authenticate(bearer("t-alice")))
        .isEqualTo(new UserInfo("alice", List.of("system:authenticated")));
    assertThatThrownBy(() -> closed.authenticate(request(Map.of())))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(401));
    AuthenticationChain open = new AuthenticationChain(List.of(TOKENS), true);
    assertThat(open.authenticate(request(Map.of())))
        .isEqualTo(new UserInfo("system:anonymous", List.of("system:unauthenticated")));
    // A bad credential is refused even where anonymous requests are let in.
    assertThatThrownBy(() -> open.authenticate(bearer("forged")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(401));
  }

  @Test
  void aTokenUnknownToOneMemberOfTheChainIsAskedOfTheNext() {
    TokenFile loopback = TokenFile.of(Map.of("loopback", new UserInfo("system:apiserver", List.of("system:masters"))));
    AuthenticationChain chain = new AuthenticationChain(List.of(loopback, TOKENS), false);
    assertThat(chain.authenticate(bearer("t-alice")).name()).isEqualTo("alice");
    assertThat(chain.authenticate(bearer("loopback")).name()).isEqualTo("system:apiserver");
    assertThatThrownBy(() -> chain.authenticate(bearer("neither")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(401));
  }

  private static ApiRequest bearer(String token) {
    return request(Map.of("Authorization", "Bearer " + token));
  }

  private static ApiRequest request(Map<String, String> headers) {
    return new ApiRequest("GET", "/api/v1/pods", Map.of(), null, null, new byte[0], headers);
  }
}
