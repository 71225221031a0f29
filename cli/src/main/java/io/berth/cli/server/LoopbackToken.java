package io.berth.cli.server;

import io.berth.apiserver.access.CredentialAuthenticator;
import io.berth.apiserver.access.TokenFile;
import io.berth.apiserver.access.UserInfo;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The credential of a server's own scheduler and controllers towards its own API: a random
 * token made at each start and known only to this process, for user system:apiserver in
 * system:masters, as kube-apiserver's loopback client is.
 */
final class LoopbackToken {
  static final UserInfo USER = new UserInfo("system:apiserver", List.of("system:masters"));

  private LoopbackToken() {}

  static String generate() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static CredentialAuthenticator authenticator(String token) {
    return TokenFile.of(Map.of(token, USER));
  }
}
