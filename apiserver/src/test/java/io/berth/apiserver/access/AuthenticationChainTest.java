package io.berth.apiserver.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ApiRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticationChainTest {
  private static final ApiRequest REQUEST = new ApiRequest("GET", "/api/v1/pods", Map.of(), null, new byte[0]);
  private static final CredentialAuthenticator NONE = request -> Optional.empty();
  private static final CredentialAuthenticator ALICE =
      request -> Optional.of(new UserInfo("alice", List.of("dev")));
  private static final CredentialAuthenticator REFUSES = request -> {
    throw new CredentialAuthenticator.InvalidCredentialException("not mine and not good");
  };

  @Test
  void theFirstAuthenticatorThatKnowsTheCredentialDecidesAndAddsSystemAuthenticated() {
    UserInfo user = new AuthenticationChain(List.of(NONE, ALICE), false).authenticate(REQUEST);
    assertThat(user).isEqualTo(new UserInfo("alice", List.of("dev", "system:authenticated")));
  }

  @Test
  void withoutCredentialsItIs401UnlessAnonymousIsAllowed() {
    assertThatThrownBy(() -> new AuthenticationChain(List.of(NONE), false).authenticate(REQUEST))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(401));
    assertThat(new AuthenticationChain(List.of(NONE), true).authenticate(REQUEST))
        .isEqualTo(AuthenticationChain.ANONYMOUS);
  }

  @Test
  void aCredentialOneAuthenticatorRefusesIsStillOfferedToTheOthers() {
    assertThat(new AuthenticationChain(List.of(REFUSES, ALICE), false).authenticate(REQUEST).name()).isEqualTo("alice");
  }

  @Test
  void aCredentialEveryAuthenticatorRefusesIs401EvenWhenAnonymousIsAllowed() {
    assertThatThrownBy(() -> new AuthenticationChain(List.of(REFUSES, NONE), true).authenticate(REQUEST))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(401));
  }
}
