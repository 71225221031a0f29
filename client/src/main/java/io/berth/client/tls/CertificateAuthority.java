package io.berth.client.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster certificate authority: an ECDSA P-256 key and a self-signed CA certificate,
 * and the certificates it issues to servers, agents and users. BouncyCastle builds the
 * certificates (the JDK has no public API for issuing X.509); keys are the JDK's own,
 * so what is written reads back with {@link Pem} alone.
 */
public final class CertificateAuthority {
  public static final String CERT_FILE = "ca.crt";
  public static final String KEY_FILE = "ca.key";
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final String SIGNATURE = "SHA256withECDSA";

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final SecureRandom random = new SecureRandom();

  private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A new CA, valid for ten years from now, kept in memory only. */
  public static CertificateAuthority create(String commonName) {
    KeyPair pair = newKeyPair();
    X500Name subject = name(commonName, List.of());
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(new SecureRandom()),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
              | KeyUsage.digitalSignature))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a CA certificate: " + e, e);
    }
  }

  /** The CA in {@code dir} (ca.crt, ca.key) if there is one, else a new one written there. */
  public static CertificateAuthority loadOrCreate(Path dir, String commonName) throws IOException {
    Path cert = dir.resolve(CERT_FILE);
    Path key = dir.resolve(KEY_FILE);
    if (Files.exists(cert) || Files.exists(key)) {
      return new CertificateAuthority(Pem.readCertificates(cert).getFirst(), Pem.readPrivateKey(key));
    }
    CertificateAuthority ca = create(commonName);
    Files.createDirectories(dir);
    Pem.write(key, Pem.encode("PRIVATE KEY", ca.key.getEncoded()), true);
    Pem.write(cert, ca.certificatePem(), false);
    return ca;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    try {
      return Pem.encode("CERTIFICATE", certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate and its key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    public String certificatePem() {
      try {
        return Pem.encode("CERTIFICATE", certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    public String keyPem() {
      return Pem.encode("PRIVATE KEY", key.getEncoded());
    }

    /** Writes NAME.crt and NAME.key (0600) into {@code dir}; returns the certificate's path. */
    public Path writeTo(Path dir, String name) throws IOException {
      Files.createDirectories(dir);
      Pem.write(dir.resolve(name + ".key"), keyPem(), true);
      Path cert = dir.resolve(name + ".crt");
      Pem.write(cert, certificatePem(), false);
      return cert;
    }
  }

  /** What a certificate is for: a TLS server that is also a client (servers, agents), or a client only. */
  public enum Usage { SERVER_AND_CLIENT, CLIENT }

  /**
   * Issues a certificate for {@code identity} (CN user, O groups) valid from {@code notBefore}
   * to {@code notAfter}, with {@code hosts} as subject alternative names (IP addresses as IP
   * SANs, the rest as DNS names).
   */
  public Issued issue(Identity identity, Usage usage, List<String> hosts, Instant notBefore, Instant notAfter) {
    KeyPair pair = newKeyPair();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(random),
          Date.from(notBefore), Date.from(notAfter), name(identity.user(), identity.groups()), pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, usage == Usage.CLIENT
              ? new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
              : new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.authorityKeyIdentifier, false,
              extensions.createAuthorityKeyIdentifier(certificate))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
      if (!hosts.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(hosts));
      }
      return new Issued(sign(builder, key), pair.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate for " + identity + ": " + e, e);
    }
  }

  /** As {@link #issue(Identity, Usage, List, Instant, Instant)}, valid from now for {@code validity}. */
  public Issued issue(Identity identity, Usage usage, List<String> hosts, Duration validity) {
    Instant now = Instant.now();
    // Backdated a little, so a peer whose clock is slightly behind accepts it at once.
    return issue(identity, usage, hosts, now.minus(Duration.ofMinutes(5)), now.plus(validity));
  }

  /** A new ECDSA P-256 key pair (also the service-account signing key). */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no EC P-256: " + e, e);
    }
  }

  public static String publicKeyPem(PublicKey key) {
    return Pem.encode("PUBLIC KEY", key.getEncoded());
  }

  private static GeneralNames alternativeNames(List<String> hosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      names.add(isIpLiteral(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
    }
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  static boolean isIpLiteral(String host) {
    if (host.contains(":")) {
      return true;
    }
    if (!host.matches("[0-9.]+")) {
      return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static X500Name name(String commonName, List<String> organizations) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    organizations.forEach(o -> builder.addRDN(BCStyle.O, o));
    builder.addRDN(BCStyle.CN, commonName);
    return builder.build();
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE)
          .build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
