package io.berth.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.rest.ObjectCodec;
import java.time.Clock;
import java.util.List;

/**
 * Objects as a meta.k8s.io/v1 Table, which kubectl asks for ({@code Accept: ...;as=Table})
 * to print {@code kubectl get}: the kind's columns as {@link KindColumns} lays them out (NAME,
 * its own, AGE, then the wide ones). Kinds without columns of their own get NAME and AGE. Each row carries the object's metadata as a
 * PartialObjectMetadata, as kube-apiserver sends by default.
 */
public final class TablePrinter {
  private final Clock clock;

  public TablePrinter(Clock clock) {
    this.clock = clock;
  }

  /** Whether an Accept header asks for a Table (kubectl lists it first, JSON as the fallback). */
  public static boolean wantsTable(String accept) {
    return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
  }

  /**
   * @param objects the objects' JSON, each with kind and metadata
   * @param listMetadata the list's metadata (resourceVersion), or null for a single object
   */
  public ObjectNode table(String kind, List<JsonNode> objects, JsonNode listMetadata) {
    List<TableColumn> columns = KindColumns.forKind(kind, new Ages(clock.instant()));

    ObjectNode table = ObjectCodec.JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table.set("metadata", listMetadata == null ? ObjectCodec.JSON.createObjectNode() : listMetadata.deepCopy());
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (TableColumn c : columns) {
      definitions.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
          .put("description", c.description()).put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (TableColumn c : columns) {
        cells.addPOJO(c.cell().apply(object));
      }
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", object.path("metadata").deepCopy());
    }
    return table;
  }
}
