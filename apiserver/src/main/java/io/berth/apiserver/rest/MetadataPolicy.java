package io.berth.apiserver.rest;

import io.berth.apiserver.registry.ResourceType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The metadata the server owns, as Kubernetes sets it: on create a uid, a
 * creationTimestamp, a name from generateName and the namespace from the path; on
 * update the same uid and creationTimestamp again, whatever the client sent. Pure
 * apart from the injected clock and random source, so it is unit-tested as is.
 *
 * <p>resourceVersion is never stored: it is the key's mod_revision, filled in when
 * an object is read back ({@link #withResourceVersion}).
 */
public final class MetadataPolicy {
  /** Kubernetes' alphabet for generated name suffixes: no vowels (no words), no look-alikes. */
  private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int SUFFIX_LENGTH = 5;

  private final Clock clock;
  private final RandomGenerator random;

  public MetadataPolicy(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  /** The clock creation timestamps come from; ages in Tables are measured on it too. */
  public Clock clock() {
    return clock;
  }

  /**
   * Prepares a new object for storage.
   *
   * @param pathNamespace the namespace of the URL, null for cluster-scoped kinds
   * @throws ApiException 400 when the object names another namespace than the URL, 422 without a name
   */
  public void prepareCreate(HasMetadata object, ResourceType type, String pathNamespace) {
    ObjectMeta meta = metadata(object);
    setNamespace(meta, type, pathNamespace);
    if (isEmpty(meta.getName()) && !isEmpty(meta.getGenerateName())) {
      meta.setName(meta.getGenerateName() + randomSuffix());
    }
    if (isEmpty(meta.getName())) {
      throw Statuses.invalid(type, null, "metadata.name: Required value: name or generateName is required");
    }
    // Only a delete marks an object as being deleted.
    meta.setDeletionTimestamp(null);
    meta.setDeletionGracePeriodSeconds(null);
    meta.setUid(randomUuid().toString());
    meta.setCreationTimestamp(DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    meta.setResourceVersion(null);
  }

  /**
   * Prepares a replacement of {@code existing} for storage: its name must be the URL's,
   * and what the server owns is carried over from the stored object.
   */
  public void prepareUpdate(HasMetadata object, HasMetadata existing, ResourceType type, String pathNamespace,
      String pathName) {
    ObjectMeta meta = metadata(object);
    setNamespace(meta, type, pathNamespace);
    if (isEmpty(meta.getName())) {
      meta.setName(pathName);
    } else if (!meta.getName().equals(pathName)) {
      throw Statuses.badRequest("the name of the object (" + meta.getName()
          + ") does not match the name on the URL (" + pathName + ")");
    }
    ObjectMeta stored = existing.getMetadata();
    meta.setUid(stored.getUid());
    meta.setCreationTimestamp(stored.getCreationTimestamp());
    meta.setGenerateName(stored.getGenerateName());
    meta.setDeletionTimestamp(stored.getDeletionTimestamp());
    meta.setDeletionGracePeriodSeconds(stored.getDeletionGracePeriodSeconds());
    meta.setResourceVersion(null);
  }

  /** The object as clients see it: with its store revision as resourceVersion. */
  public static HasMetadata withResourceVersion(HasMetadata object, long modRevision) {
    metadata(object).setResourceVersion(Long.toString(modRevision));
    return object;
  }

  private static void setNamespace(ObjectMeta meta, ResourceType type, String pathNamespace) {
    if (!type.namespaced()) {
      meta.setNamespace(null);
      return;
    }
    if (isEmpty(meta.getNamespace())) {
      meta.setNamespace(pathNamespace);
    } else if (!meta.getNamespace().equals(pathNamespace)) {
      throw Statuses.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
  }

  private static ObjectMeta metadata(HasMetadata object) {
    if (object.getMetadata() == null) {
      object.setMetadata(new ObjectMeta());
    }
    return object.getMetadata();
  }

  /** Five characters of Kubernetes' name-suffix alphabet, as generateName appends. */
  public String randomSuffix() {
    StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      suffix.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
    }
    return suffix.toString();
  }

  /** A version 4 (random) UUID drawn from the injected source, so tests can fix it. */
  private UUID randomUuid() {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
