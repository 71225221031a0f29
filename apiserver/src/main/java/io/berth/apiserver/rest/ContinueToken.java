package io.berth.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A list's continue token, in kube-apiserver's shape (base64 of
 * {@code {"v":"meta.k8s.io/v1","rv":N,"start":"<key after the prefix>"}}): the
 * revision the first page was read at, and where the next page starts. Every page
 * is read at that one revision, so a paged list is one consistent snapshot.
 *
 * @param startAfterPrefix the next page's first key, relative to the collection's prefix
 */
record ContinueToken(long revision, String startAfterPrefix) {
  private static final String VERSION = "meta.k8s.io/v1";

  String encode() {
    ObjectNode token = ObjectCodec.JSON.createObjectNode();
    token.put("v", VERSION);
    token.put("rv", revision);
    token.put("start", startAfterPrefix);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(ObjectCodec.encode(token));
  }

  /** @throws ApiException 400 when the token is not one this server gave out */
  static ContinueToken decode(String token) {
    try {
      JsonNode node = ObjectCodec.JSON.readTree(new String(decodeBase64(token), StandardCharsets.UTF_8));
      if (!VERSION.equals(node.path("v").asText()) || !node.path("rv").canConvertToLong()
          || node.path("rv").asLong() <= 0 || !node.path("start").isTextual()
          || node.path("start").asText().contains("..")) {
        throw invalid();
      }
      return new ContinueToken(node.path("rv").asLong(), node.path("start").asText());
    } catch (IOException | IllegalArgumentException e) {
      throw invalid();
    }
  }

  private static byte[] decodeBase64(String token) {
    // kube-apiserver uses padded URL-safe base64; accept both.
    return Base64.getUrlDecoder().decode(token.replace("=", ""));
  }

  private static ApiException invalid() {
    return Statuses.badRequest("continue key is not valid: the continue token could not be decoded; "
        + "start a new list without it");
  }
}
