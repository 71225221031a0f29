package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * Events print what happened rather than what they are called: LAST SEEN TYPE REASON OBJECT
 * MESSAGE, with SUBOBJECT SOURCE FIRST SEEN COUNT NAME in wide output. There is no NAME or AGE
 * up front.
 */
final class EventColumns {
  private EventColumns() {}

  static KindColumns columns(Ages ages) {
    return KindColumns.exactly(List.of(
        TableColumn.string("Last Seen", "The time the event was last seen", o -> lastSeen(o, ages)),
        TableColumn.string("Type", "The type of the event", o -> o.path("type").asText("")),
        TableColumn.string("Reason", "The reason the event was reported", o -> o.path("reason").asText("")),
        TableColumn.string("Object", "The object the event is about", EventColumns::object),
        TableColumn.wide("Subobject", "The part of the object the event is about",
            o -> o.at("/involvedObject/fieldPath").asText("")),
        TableColumn.wide("Source", "The component that reported the event", EventColumns::source),
        TableColumn.string("Message", "A human-readable description of the event", o -> o.path("message").asText("").trim()),
        TableColumn.wide("First Seen", "The time the event was first seen", o -> firstSeen(o, ages)),
        new TableColumn("Count", "integer", "", "The number of times the event occurred", 1, EventColumns::count),
        TableColumn.wide("Name", "The name of the event", o -> o.at("/metadata/name").asText(""))));
  }

  private static String firstSeen(JsonNode event, Ages ages) {
    String first = event.path("firstTimestamp").asText("");
    return ages.since(first.isEmpty() ? event.path("eventTime").asText("") : first);
  }

  /** The series' last observation, else lastTimestamp, else the first time it was seen. */
  private static String lastSeen(JsonNode event, Ages ages) {
    String series = event.at("/series/lastObservedTime").asText("");
    if (!series.isEmpty()) {
      return ages.since(series);
    }
    String last = event.path("lastTimestamp").asText("");
    return last.isEmpty() ? firstSeen(event, ages) : ages.since(last);
  }

  /** "pod/web-1", or the lower-cased kind alone when the event names no object. */
  private static String object(JsonNode event) {
    String kind = event.at("/involvedObject/kind").asText("").toLowerCase(Locale.ROOT);
    String name = event.at("/involvedObject/name").asText("");
    return name.isEmpty() ? kind : kind + "/" + name;
  }

  private static String source(JsonNode event) {
    String component = event.at("/source/component").asText("");
    if (component.isEmpty()) {
      component = event.path("reportingComponent").asText("");
    }
    String host = event.at("/source/host").asText("");
    if (host.isEmpty()) {
      host = event.path("reportingInstance").asText("");
    }
    return host.isEmpty() ? component : component + ", " + host;
  }

  private static int count(JsonNode event) {
    if (event.has("series")) {
      return event.at("/series/count").asInt(1);
    }
    int count = event.path("count").asInt(0);
    return count == 0 ? 1 : count;
  }
}
