package io.berth.apiserver.storage.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a resource's values go through on their way to and from the store, as
 * kube-apiserver's value transformers do: the first provider writes; a stored value is
 * read by the aesgcm key its prefix names ({@code k8s:enc:aesgcm:v1:KEYNAME:}), or as
 * plaintext when it has no such prefix and identity is listed.
 *
 * <p>aesgcm: a random 12-byte nonce, then AES-GCM ciphertext with its 16-byte tag; the
 * store key is the additional authenticated data, so a value copied under another key
 * does not decrypt.
 */
public final class ValueTransformer {
  static final String PREFIX = "k8s:enc:aesgcm:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One provider: identity (no keys) or aesgcm with its keys in order. */
  public record Provider(Map<String, byte[]> aesKeys) {
    static Provider identity() {
      return new Provider(null);
    }

    static Provider aesGcm(Map<String, byte[]> keys) {
      return new Provider(new LinkedHashMap<>(keys));
    }

    boolean isIdentity() {
      return aesKeys == null;
    }
  }

  /** A stored value this configuration cannot read. */
  public static final class UnreadableValueException extends RuntimeException {
    UnreadableValueException(String message) {
      super(message);
    }
  }

  private final List<Provider> providers;

  ValueTransformer(List<Provider> providers) {
    this.providers = List.copyOf(providers);
  }

  /** The value as stored: encrypted with the first provider's first key, or as is under identity. */
  public byte[] toStorage(String key, byte[] plain) {
    Provider first = providers.get(0);
    if (first.isIdentity()) {
      return plain;
    }
    Map.Entry<String, byte[]> writeKey = first.aesKeys().entrySet().iterator().next();
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] sealed = cipher(Cipher.ENCRYPT_MODE, writeKey.getValue(), nonce, key, plain, 0, plain.length);
    byte[] prefix = (PREFIX + writeKey.getKey() + ":").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + nonce.length + sealed.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(nonce, 0, out, prefix.length, nonce.length);
    System.arraycopy(sealed, 0, out, prefix.length + nonce.length, sealed.length);
    return out;
  }

  /**
   * The plaintext of a stored value.
   *
   * @throws UnreadableValueException saying why: no key of that name, a value that does not
   *     decrypt, or plaintext where identity is not listed
   */
  public byte[] fromStorage(String key, byte[] stored) {
    if (!startsWith(stored, PREFIX)) {
      if (providers.stream().anyMatch(Provider::isIdentity)) {
        return stored;
      }
      throw new UnreadableValueException(key + " is not encrypted and the identity provider is not configured");
    }
    int nameEnd = indexOf(stored, (byte) ':', PREFIX.length());
    if (nameEnd < 0) {
      throw new UnreadableValueException(key + " has a malformed " + PREFIX + " prefix");
    }
    String keyName = new String(stored, PREFIX.length(), nameEnd - PREFIX.length(), StandardCharsets.US_ASCII);
    byte[] secret = providers.stream().filter(p -> !p.isIdentity()).map(p -> p.aesKeys().get(keyName))
        .filter(k -> k != null).findFirst()
        .orElseThrow(() -> new UnreadableValueException(key + " is encrypted with aesgcm key \"" + keyName
            + "\", which the encryption provider config does not list"));
    int nonceAt = nameEnd + 1;
    if (stored.length < nonceAt + NONCE_BYTES + TAG_BITS / 8) {
      throw new UnreadableValueException(key + " is too short to be aesgcm ciphertext");
    }
    byte[] nonce = Arrays.copyOfRange(stored, nonceAt, nonceAt + NONCE_BYTES);
    try {
      return cipher(Cipher.DECRYPT_MODE, secret, nonce, key, stored, nonceAt + NONCE_BYTES,
          stored.length - nonceAt - NONCE_BYTES);
    } catch (IllegalStateException e) {
      throw new UnreadableValueException(key + " does not decrypt with aesgcm key \"" + keyName + "\"");
    }
  }

  private static byte[] cipher(int mode, byte[] secret, byte[] nonce, String key, byte[] data, int offset, int length) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(secret, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(key.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(data, offset, length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed: " + e, e);
    }
  }

  private static boolean startsWith(byte[] value, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    return value.length >= p.length && Arrays.equals(value, 0, p.length, p, 0, p.length);
  }

  private static int indexOf(byte[] value, byte b, int from) {
    for (int i = from; i < value.length; i++) {
      if (value[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
