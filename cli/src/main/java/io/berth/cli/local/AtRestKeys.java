package io.berth.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * DIR/pki/encryption.yaml of a TLS local cluster: an EncryptionConfiguration that has every
 * server encrypt Secrets with AES-GCM under one random 256-bit key (readable only by its
 * owner), with identity as the fallback that still reads values written before it existed.
 * Made once; rotation is the operator's (docs/security.md).
 */
public final class AtRestKeys {
  static final String FILE = "encryption.yaml";

  private AtRestKeys() {}

  public static Path file(Path pki) {
    return pki.resolve(FILE);
  }

  /** Writes the configuration unless it exists. */
  public static void ensure(Path pki) throws IOException {
    Path file = file(pki);
    if (Files.exists(file)) {
      return;
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String yaml = """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
        - resources: [secrets]
          providers:
          - aesgcm:
              keys:
              - name: key1
                secret: %s
          - identity: {}
        """.formatted(Base64.getEncoder().encodeToString(key));
    Files.createDirectories(pki);
    Path partial = pki.resolve(FILE + ".tmp");
    Files.deleteIfExists(partial);
    Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(partial, yaml);
    Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
