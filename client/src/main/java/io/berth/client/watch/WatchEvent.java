package io.berth.client.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.client.transport.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import java.io.IOException;

/**
 * One event of a watch stream.
 *
 * @param object the object (ADDED, MODIFIED, DELETED: its state then; BOOKMARK: only
 *     metadata.resourceVersion is set), or null for ERROR
 * @param error the Status of an ERROR event, else null
 */
public record WatchEvent<T extends HasMetadata>(EventType type, T object, Status error) {

  /** The resourceVersion this event brings the watcher to, or null (ERROR). */
  public String resourceVersion() {
    return object == null || object.getMetadata() == null ? null : object.getMetadata().getResourceVersion();
  }

  /** An ERROR saying the requested resourceVersion is too old: list again. */
  public boolean isExpired() {
    return type == EventType.ERROR && error != null && error.getCode() != null && error.getCode() == 410;
  }

  /** Decodes one line of the stream: {@code {"type": ..., "object": {...}}}. */
  static <T extends HasMetadata> WatchEvent<T> decode(String line, Class<T> objectType) throws IOException {
    JsonNode tree = Json.MAPPER.readTree(line);
    JsonNode typeNode = tree == null ? null : tree.get("type");
    JsonNode objectNode = tree == null ? null : tree.get("object");
    if (typeNode == null || objectNode == null || !objectNode.isObject()) {
      throw new IOException("not a watch event: " + abbreviate(line));
    }
    EventType type;
    try {
      type = EventType.valueOf(typeNode.asText());
    } catch (IllegalArgumentException unknown) {
      throw new IOException("unknown watch event type " + typeNode.asText(), unknown);
    }
    if (type == EventType.ERROR) {
      return new WatchEvent<>(type, null, Json.MAPPER.treeToValue(objectNode, Status.class));
    }
    return new WatchEvent<>(type, Json.MAPPER.treeToValue(objectNode, objectType), null);
  }

  private static String abbreviate(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
