package io.berth.client.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files as Kubernetes and etcd use them: X.509 certificates ("CERTIFICATE") and
 * PKCS#8 private keys ("PRIVATE KEY"). Hand-written on the JDK because the format is
 * base64 between two lines, and the JDK parses what is inside; that keeps reading
 * certificates free of BouncyCastle.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

  private Pem() {}

  public static String encode(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** Every certificate in {@code file}, in order (a chain, or a bundle of CAs). */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : blocks(file, "CERTIFICATE")) {
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException e) {
      throw new IOException(file + ": not a valid certificate: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException(file + ": no PEM CERTIFICATE block");
    }
    return certificates;
  }

  /** The PKCS#8 private key in {@code file} (EC or RSA). */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    List<byte[]> keys = blocks(file, "PRIVATE KEY");
    if (keys.isEmpty()) {
      throw new IOException(file + ": no PEM 'PRIVATE KEY' (PKCS#8) block");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.getFirst());
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // Try the next algorithm: PKCS#8 names it inside, but the JDK wants it up front.
      }
    }
    throw new IOException(file + ": not an EC or RSA PKCS#8 private key");
  }

  /** The public key ("PUBLIC KEY", X.509 SubjectPublicKeyInfo) in {@code file} (EC or RSA). */
  public static java.security.PublicKey readPublicKey(Path file) throws IOException {
    List<byte[]> keys = blocks(file, "PUBLIC KEY");
    if (keys.isEmpty()) {
      throw new IOException(file + ": no PEM 'PUBLIC KEY' block");
    }
    java.security.spec.X509EncodedKeySpec spec = new java.security.spec.X509EncodedKeySpec(keys.getFirst());
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(spec);
      } catch (GeneralSecurityException e) {
        // Try the next algorithm, as for private keys.
      }
    }
    throw new IOException(file + ": not an EC or RSA public key");
  }

  /** Writes {@code text} by a rename, readable by its owner only when {@code secret}. */
  public static void write(Path file, String text, boolean secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (secret) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, text);
    } else {
      Files.writeString(tmp, text);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static List<byte[]> blocks(Path file, String type) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    List<byte[]> found = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        try {
          found.add(Base64.getMimeDecoder().decode(m.group(2)));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ": bad base64 in a PEM " + type + " block", e);
        }
      }
    }
    return found;
  }
}
