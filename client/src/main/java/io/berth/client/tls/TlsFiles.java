package io.berth.client.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The PEM files a TLS client or server is given, named as kube-apiserver and etcd name
 * their flags: a certificate (chain) and its key, and the CA bundle the other side's
 * certificate must chain to. Any of them may be null: a client without a certificate,
 * a server that asks for none.
 */
public record TlsFiles(Path certFile, Path keyFile, Path caFile) {
  public TlsFiles {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("a TLS certificate needs its private key and the other way round");
    }
  }

  /** The files DIR/NAME.crt, DIR/NAME.key and DIR/ca.crt, as {@code berth certs} writes them. */
  public static TlsFiles inPki(Path dir, String name) {
    return new TlsFiles(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), dir.resolve(CertificateAuthority.CERT_FILE));
  }

  public KeyStore keyStore() throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      if (certFile != null) {
        List<X509Certificate> chain = Pem.readCertificates(certFile);
        store.setKeyEntry("key", Pem.readPrivateKey(keyFile), new char[0], chain.toArray(X509Certificate[]::new));
      }
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load " + certFile + " with " + keyFile + ": " + e.getMessage(), e);
    }
  }

  public TrustManagerFactory trustManagers() throws IOException {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      int i = 0;
      for (X509Certificate ca : Pem.readCertificates(caFile)) {
        trusted.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + caFile + ": " + e.getMessage(), e);
    }
  }

  public KeyManagerFactory keyManagers() throws IOException {
    try {
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keyStore(), new char[0]);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use " + certFile + ": " + e.getMessage(), e);
    }
  }

  /** A JDK SSLContext presenting the certificate (if any) and trusting the CA (the JDK's own CAs without one). */
  public SSLContext sslContext() throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(certFile == null ? null : keyManagers().getKeyManagers(),
          caFile == null ? null : trustManagers().getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }
}
