package io.berth.apiserver.access;

import io.berth.apiserver.rest.ApiRequest;
import java.util.Optional;

/**
 * Service-account tokens in {@code Authorization: Bearer TOKEN}. A token that is not one of
 * ours is left to the other authenticators (a static token file); a JWT in our format whose
 * signature, issuer or expiry does not hold is refused with 401 at once, as Kubernetes does.
 */
public final class BearerTokenAuthenticator implements CredentialAuthenticator {
  private final ServiceAccountTokens tokens;

  public BearerTokenAuthenticator(ServiceAccountTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public Optional<UserInfo> authenticate(ApiRequest request) {
    String token = bearerToken(request);
    if (token == null) {
      return Optional.empty();
    }
    Optional<UserInfo> user = tokens.verify(token);
    if (user.isEmpty() && ServiceAccountTokens.looksLikeOurs(token)) {
      throw new CredentialAuthenticator.InvalidCredentialException("a service-account token that does not verify");
    }
    return user;
  }

  /** The token of an {@code Authorization: Bearer} header, or null. */
  public static String bearerToken(ApiRequest request) {
    String header = request.header("Authorization");
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }
}
