package io.berth.apiserver.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.MetadataPolicy;
import io.berth.apiserver.rest.ObjectCodec;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One version of one object as the watch cache holds it: the stored bytes, decoded
 * and encoded again (with resourceVersion) only when someone needs them, and then
 * once, however many lists and watchers read it. What it hands out is shared: never
 * mutate it.
 *
 * @see WatchCache
 */
public final class CachedObject {
  private final ResourceType type;
  private final String key;
  private final byte[] stored;
  private final long revision;
  private volatile HasMetadata object;
  private volatile byte[] json;

  CachedObject(ResourceType type, String key, byte[] stored, long revision) {
    this.type = type;
    this.key = key;
    this.stored = stored;
    this.revision = revision;
  }

  /** An object read from the store rather than the cache, in the same shape. */
  public static CachedObject of(ResourceType type, io.berth.apiserver.storage.StoredObject stored) {
    return new CachedObject(type, stored.key(), stored.value(), stored.modRevision());
  }

  /** The same object as of a later revision: how a deleted object is reported, at its deletion's revision. */
  CachedObject atRevision(long newRevision) {
    return new CachedObject(type, key, stored, newRevision);
  }

  public String key() {
    return key;
  }

  /** The object's resourceVersion: the revision of the write (or delete) this version is. */
  public long revision() {
    return revision;
  }

  /** The decoded object, with its resourceVersion. Shared: do not mutate. */
  public HasMetadata object() {
    HasMetadata decoded = object;
    if (decoded == null) {
      decoded = MetadataPolicy.withResourceVersion(ObjectCodec.decodeStored(stored, type), revision);
      object = decoded;
    }
    return decoded;
  }

  /** The object's JSON as the API serves it. Shared: do not mutate. */
  public byte[] json() {
    byte[] encoded = json;
    if (encoded == null) {
      encoded = ObjectCodec.encode(object());
      json = encoded;
    }
    return encoded;
  }

  /** A fresh tree of the object's JSON, the caller's to change. */
  public JsonNode tree() {
    return ObjectCodec.toTree(object());
  }
}
