package io.berth.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites one Swagger 2.0 definition into the form kube-apiserver serves in its
 * OpenAPI v3 documents. Three differences matter to clients:
 * <ul>
 *   <li>references point into {@code #/components/schemas/} instead of {@code #/definitions/};
 *   <li>in OpenAPI 3.0 the siblings of a {@code $ref} are ignored, so a reference that carries a
 *       description or default is wrapped as {@code {allOf: [{$ref}], description, default}},
 *       as kube-openapi does (kubectl explain reads the description from there);
 *   <li>the fabric8 generator's own extensions ({@code x-fabric8-info}, {@code x-descriptors})
 *       are not Kubernetes' and are dropped.
 * </ul>
 * The input is not modified.
 */
final class SwaggerToOpenApi3 {
  static final String V2_PREFIX = "#/definitions/";
  static final String V3_PREFIX = "#/components/schemas/";
  private static final Set<String> FOREIGN_EXTENSIONS = Set.of("x-fabric8-info", "x-descriptors");

  private SwaggerToOpenApi3() {}

  static ObjectNode convert(ObjectNode definition) {
    return schema(definition);
  }

  private static ObjectNode schema(ObjectNode in) {
    ObjectNode out = in.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (FOREIGN_EXTENSIONS.contains(key)) {
        continue;
      }
      switch (key) {
        case "$ref" -> out.put("$ref", V3_PREFIX + value.asText().substring(V2_PREFIX.length()));
        case "properties" -> {
          ObjectNode properties = out.putObject("properties");
          value.fields().forEachRemaining(p -> properties.set(p.getKey(), schema((ObjectNode) p.getValue())));
        }
        case "items", "additionalProperties" -> out.set(key, value.isObject() ? schema((ObjectNode) value) : value);
        case "allOf", "anyOf", "oneOf" -> {
          ArrayNode list = out.putArray(key);
          value.forEach(s -> list.add(schema((ObjectNode) s)));
        }
        default -> out.set(key, value.deepCopy());
      }
    }
    return out.has("$ref") && out.size() > 1 ? wrapReference(out) : out;
  }

  /** {$ref, description, default} becomes {allOf: [{$ref}], description, default}. */
  private static ObjectNode wrapReference(ObjectNode schema) {
    ObjectNode wrapped = schema.objectNode();
    wrapped.putArray("allOf").addObject().set("$ref", schema.get("$ref"));
    schema.fields().forEachRemaining(f -> {
      if (!f.getKey().equals("$ref")) {
        wrapped.set(f.getKey(), f.getValue());
      }
    });
    return wrapped;
  }
}
