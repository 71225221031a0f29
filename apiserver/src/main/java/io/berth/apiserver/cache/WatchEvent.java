package io.berth.apiserver.cache;

import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ObjectCodec;
import java.nio.charset.StandardCharsets;

/**
 * One event as an API watcher sees it. Its JSON frame, one line of a watch
 * response, is built once and shared by every watcher that receives the event:
 * that is what lets thousands of watchers follow one object cheaply.
 */
public final class WatchEvent {
  public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK }

  private final Type type;
  private final CachedObject object;
  private final long revision;
  private final byte[] bookmarkObject;
  private volatile byte[] frame;

  private WatchEvent(Type type, CachedObject object, long revision, byte[] bookmarkObject) {
    this.type = type;
    this.object = object;
    this.revision = revision;
    this.bookmarkObject = bookmarkObject;
  }

  /** @param object the object after the change; for DELETED its last state, at the deletion's revision */
  public static WatchEvent of(Type type, CachedObject object) {
    return new WatchEvent(type, object, object.revision(), null);
  }

  /** A BOOKMARK: "everything up to {@code revision} has been sent", as an object holding only its kind and version. */
  public static WatchEvent bookmark(ResourceType resource, long revision) {
    return new WatchEvent(Type.BOOKMARK, null, revision, bookmarkObject(resource, revision, false));
  }

  /**
   * The BOOKMARK that ends a watch's initial events (sendInitialEvents=true), marked
   * with the annotation clients wait for: the watch-list protocol of KEP-3157.
   */
  public static WatchEvent initialEventsEnd(ResourceType resource, long revision) {
    return new WatchEvent(Type.BOOKMARK, null, revision, bookmarkObject(resource, revision, true));
  }

  private static byte[] bookmarkObject(ResourceType resource, long revision, boolean initialEventsEnd) {
    var bookmark = ObjectCodec.JSON.createObjectNode();
    bookmark.put("kind", resource.kind());
    bookmark.put("apiVersion", resource.apiVersion());
    var metadata = bookmark.putObject("metadata");
    metadata.put("resourceVersion", Long.toString(revision));
    if (initialEventsEnd) {
      metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    return ObjectCodec.encode(bookmark);
  }

  public Type type() {
    return type;
  }

  /** The object, or null for a BOOKMARK. */
  public CachedObject object() {
    return object;
  }

  public long revision() {
    return revision;
  }

  /** {@code {"type":"MODIFIED","object":{...}}} and a newline. */
  public byte[] jsonFrame() {
    byte[] built = frame;
    if (built == null) {
      byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.US_ASCII);
      byte[] body = object != null ? object.json() : bookmarkObject;
      built = new byte[head.length + body.length + 2];
      System.arraycopy(head, 0, built, 0, head.length);
      System.arraycopy(body, 0, built, head.length, body.length);
      built[built.length - 2] = '}';
      built[built.length - 1] = '\n';
      frame = built;
    }
    return built;
  }
}
