package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * One column of a kind's Table: its definition as kubectl reads it, and how to compute
 * its cell from the object's JSON.
 *
 * @param priority 0 shows by default; above 0 only with {@code -o wide}
 */
public record TableColumn(String name, String type, String format, String description, int priority,
    Function<JsonNode, Object> cell) {

  static TableColumn string(String name, String description, Function<JsonNode, Object> cell) {
    return new TableColumn(name, "string", "", description, 0, cell);
  }

  static TableColumn wide(String name, String description, Function<JsonNode, Object> cell) {
    return new TableColumn(name, "string", "", description, 1, cell);
  }

  static TableColumn integer(String name, String description, Function<JsonNode, Object> cell) {
    return new TableColumn(name, "integer", "", description, 0, cell);
  }
}
