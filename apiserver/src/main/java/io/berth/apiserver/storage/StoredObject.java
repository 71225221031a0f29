package io.berth.apiserver.storage;

/**
 * One object as the store holds it.
 *
 * @param value the object's JSON, as written (without resourceVersion)
 * @param modRevision the store revision of its last write: the object's resourceVersion
 */
public record StoredObject(String key, byte[] value, long modRevision) {}
