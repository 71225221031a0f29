package io.berth.apiserver.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.rest.ObjectCodec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Service-account tokens as Kubernetes issues them: JWTs signed with the cluster's
 * service-account key (ES256, P-256), with the issuer, audience, subject
 * system:serviceaccount:NS:NAME and an expiry; every replica verifies them with the public
 * key alone. Hand-written on the JDK because it is one signature algorithm and two base64
 * segments: a JOSE library would bring a dependency for ~100 lines. The one subtle part is
 * JWS' signature format (R and S as two 32-byte integers) against the JDK's DER encoding.
 * A token may be bound to a pod (TokenRequest's boundObjectRef, as the node agent asks for
 * the tokens it mounts): it is then valid only while that pod exists with that UID.
 */
public final class ServiceAccountTokens {
  public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
  static final String AUDIENCE = ISSUER;
  private static final String HEADER = base64("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final PrivateKey signingKey;
  private final PublicKey verifyingKey;
  private final Clock clock;
  /**
   * Whether a pod still exists with a given UID: a token bound to a pod is valid only as long
   * as that pod is, as Kubernetes' bound service-account tokens are. Set by the API server
   * once its pod cache exists; until then no pod-bound token is accepted or minted.
   */
  private volatile LivePods livePods = (namespace, name, uid) -> false;

  /** Whether pod {@code namespace/name} exists with {@code uid}. */
  @FunctionalInterface
  public interface LivePods {
    boolean exists(String namespace, String name, String uid);
  }

  /** The pod a token is bound to. */
  public record BoundPod(String name, String uid) {}

  /** {@code signingKey} may be null on a replica that only verifies. */
  public ServiceAccountTokens(PrivateKey signingKey, PublicKey verifyingKey, Clock clock) {
    this.signingKey = signingKey;
    this.verifyingKey = verifyingKey;
    this.clock = clock;
  }

  /**
   * Tokens verified with the PEM public key {@code publicKey} (--service-account-key-file) and,
   * when {@code signingKey} is given (--service-account-signing-key-file), minted with it.
   */
  public static ServiceAccountTokens fromFiles(java.nio.file.Path signingKey, java.nio.file.Path publicKey)
      throws java.io.IOException {
    return new ServiceAccountTokens(signingKey == null ? null : io.berth.client.tls.Pem.readPrivateKey(signingKey),
        io.berth.client.tls.Pem.readPublicKey(publicKey), Clock.systemUTC());
  }

  /** Where pod-bound tokens are checked against the pods that exist (the API server's pod cache). */
  public void checkPodsWith(LivePods pods) {
    this.livePods = pods;
  }

  /** Whether {@code pod} of {@code namespace} exists with its UID, as far as this server knows. */
  public boolean podExists(String namespace, BoundPod pod) {
    return livePods.exists(namespace, pod.name(), pod.uid());
  }

  /** Whether this server mints tokens (TokenRequest), not only verifies them. */
  public boolean canMint() {
    return signingKey != null;
  }

  /** A token for service account {@code name} in {@code namespace}, valid for {@code lifetime}. */
  public String mint(String namespace, String name, Duration lifetime) {
    return mint(namespace, name, lifetime, null);
  }

  /** As above, bound to {@code pod} (null: to nothing): valid only while that pod exists. */
  public String mint(String namespace, String name, Duration lifetime, BoundPod pod) {
    if (signingKey == null) {
      throw new IllegalStateException("this server has no --service-account-signing-key-file");
    }
    Instant now = clock.instant();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", List.of(AUDIENCE));
    claims.put("sub", "system:serviceaccount:" + namespace + ":" + name);
    claims.put("iat", now.getEpochSecond());
    claims.put("nbf", now.getEpochSecond());
    claims.put("exp", now.plus(lifetime).getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    Map<String, Object> kubernetes = new LinkedHashMap<>();
    kubernetes.put("namespace", namespace);
    if (pod != null) {
      Map<String, Object> bound = new LinkedHashMap<>();     // name then uid, as Kubernetes writes them
      bound.put("name", pod.name());
      bound.put("uid", pod.uid());
      kubernetes.put("pod", bound);
    }
    kubernetes.put("serviceaccount", Map.of("name", name));
    claims.put("kubernetes.io", kubernetes);
    String signed = HEADER + "." + base64(ObjectCodec.encode(claims));
    try {
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(signingKey);
      signature.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + base64(derToJose(signature.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a token: " + e, e);
    }
  }

  /**
   * The service account {@code token} names, if it is one of ours: signed by the cluster key,
   * from our issuer, for our audience, and not expired. Empty for anything else.
   */
  public Optional<UserInfo> verify(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(HEADER)) {
      return Optional.empty();
    }
    try {
      byte[] raw = DECODER.decode(parts[2]);
      if (raw.length != 64) {
        return Optional.empty();
      }
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initVerify(verifyingKey);
      signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!signature.verify(joseToDer(raw))) {
        return Optional.empty();
      }
      JsonNode claims = ObjectCodec.JSON.readTree(DECODER.decode(parts[1]));
      long now = clock.instant().getEpochSecond();
      String subject = claims.path("sub").asText("");
      String[] names = subject.split(":", -1);
      if (!ISSUER.equals(claims.path("iss").asText()) || !audienceOk(claims.path("aud"))
          || claims.path("exp").asLong(0) <= now || claims.path("nbf").asLong(0) > now + 60
          || names.length != 4 || !subject.startsWith("system:serviceaccount:")) {
        return Optional.empty();
      }
      JsonNode pod = claims.path("kubernetes.io").path("pod");
      if (!pod.isMissingNode()
          && !livePods.exists(names[2], pod.path("name").asText(""), pod.path("uid").asText(""))) {
        return Optional.empty();     // the pod it was bound to is gone
      }
      return Optional.of(new UserInfo(subject, List.of("system:serviceaccounts", "system:serviceaccounts:" + names[2])));
    } catch (IllegalArgumentException | GeneralSecurityException | java.io.IOException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code token} has our JWT header, so that a bad one is ours to refuse rather than another's to try. */
  public static boolean looksLikeOurs(String token) {
    return token.startsWith(HEADER + ".");
  }

  private static boolean audienceOk(JsonNode audience) {
    if (audience.isTextual()) {
      return AUDIENCE.equals(audience.asText());
    }
    for (JsonNode a : audience) {
      if (AUDIENCE.equals(a.asText())) {
        return true;
      }
    }
    return false;
  }

  private static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } to R || S, 32 bytes each. */
  static byte[] derToJose(byte[] der) {
    int offset = der[1] == (byte) 0x81 ? 3 : 2;
    int rLength = der[offset + 1];
    byte[] r = Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength);
    int sOffset = offset + 2 + rLength;
    byte[] s = Arrays.copyOfRange(der, sOffset + 2, sOffset + 2 + der[sOffset + 1]);
    byte[] jose = new byte[64];
    copyUnsigned(r, jose, 0);
    copyUnsigned(s, jose, 32);
    return jose;
  }

  private static void copyUnsigned(byte[] integer, byte[] into, int at) {
    byte[] magnitude = new BigInteger(1, integer).toByteArray();
    int skip = magnitude.length > 32 ? magnitude.length - 32 : 0;
    System.arraycopy(magnitude, skip, into, at + 32 - (magnitude.length - skip), magnitude.length - skip);
  }

  static byte[] joseToDer(byte[] jose) {
    byte[] r = new BigInteger(1, Arrays.copyOfRange(jose, 0, 32)).toByteArray();
    byte[] s = new BigInteger(1, Arrays.copyOfRange(jose, 32, 64)).toByteArray();
    int length = 2 + r.length + 2 + s.length;
    byte[] der = new byte[(length > 127 ? 3 : 2) + length];
    int i = 0;
    der[i++] = 0x30;
    if (length > 127) {
      der[i++] = (byte) 0x81;
    }
    der[i++] = (byte) length;
    der[i++] = 0x02;
    der[i++] = (byte) r.length;
    System.arraycopy(r, 0, der, i, r.length);
    i += r.length;
    der[i++] = 0x02;
    der[i++] = (byte) s.length;
    System.arraycopy(s, 0, der, i, s.length);
    return der;
  }
}
