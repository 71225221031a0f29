package io.berth.apiserver.openapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.rest.ObjectCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes' own schemas, with their descriptions, in OpenAPI v3 form, by name
 * ({@code io.k8s.api.core.v1.Pod}).
 *
 * <p>Where they come from: Kubernetes publishes its OpenAPI spec only in its source tree,
 * which a build here cannot reach. The fabric8 project generates the same definitions
 * from the Kubernetes Go sources (descriptions included) and ships them as
 * {@code openshift-generated.json} in io.fabric8:kubernetes-model-validator, a Maven
 * dependency of the same version as the model classes we store objects with; so the
 * schemas and the classes agree. That file is Swagger 2.0 and also holds OpenShift's and
 * others' types: only the {@code io.k8s.*} definitions are read (streamed, so the rest
 * costs no memory), and each is rewritten into v3 form by {@link SwaggerToOpenApi3}.
 */
public final class KubernetesDefinitions {
  static final String RESOURCE = "/openshift-generated.json";

  private final Map<String, ObjectNode> schemas;

  KubernetesDefinitions(Map<String, ObjectNode> schemas) {
    this.schemas = Map.copyOf(schemas);
  }

  /** The definitions every API server replica in this process shares: immutable, read once. */
  public static KubernetesDefinitions shared() {
    return Shared.INSTANCE;
  }

  private static final class Shared {
    static final KubernetesDefinitions INSTANCE = load();
  }

  static KubernetesDefinitions load() {
    try (InputStream in = KubernetesDefinitions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path (io.fabric8:kubernetes-model-validator)");
      }
      return new KubernetesDefinitions(read(in));
    } catch (IOException e) {
      throw new UncheckedIOException("reading Kubernetes' OpenAPI definitions", e);
    }
  }

  private static Map<String, ObjectNode> read(InputStream in) throws IOException {
    Map<String, ObjectNode> schemas = new HashMap<>();
    try (JsonParser parser = ObjectCodec.JSON.getFactory().createParser(in)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String section = parser.currentName();
        parser.nextToken();
        if (!section.equals("definitions")) {
          parser.skipChildren();
          continue;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          if (name.startsWith("io.k8s.")) {
            schemas.put(name, SwaggerToOpenApi3.convert(parser.readValueAsTree()));
          } else {
            parser.skipChildren();
          }
        }
      }
    }
    return schemas;
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + " but found " + actual);
    }
  }

  /** The schema named {@code name}; callers must not modify it. */
  public Optional<ObjectNode> schema(String name) {
    return Optional.ofNullable(schemas.get(name));
  }

  /**
   * The named schemas and every schema they reference, transitively, each once. A reference
   * to a schema the source lacks (it omits runtime.RawExtension) becomes a free-form object,
   * so that the documents stay valid.
   */
  public Map<String, ObjectNode> closure(Collection<String> roots) {
    Map<String, ObjectNode> result = new LinkedHashMap<>();
    Deque<String> pending = new ArrayDeque<>(roots);
    while (!pending.isEmpty()) {
      String name = pending.pop();
      if (result.containsKey(name)) {
        continue;
      }
      ObjectNode schema = schemas.getOrDefault(name, freeForm());
      result.put(name, schema);
      collectReferences(schema, pending);
    }
    return result;
  }

  private static void collectReferences(JsonNode node, Deque<String> into) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null && ref.isTextual()) {
        into.add(ref.asText().substring(SwaggerToOpenApi3.V3_PREFIX.length()));
      }
    }
    node.forEach(child -> collectReferences(child, into));
  }

  private static ObjectNode freeForm() {
    ObjectNode schema = ObjectCodec.JSON.createObjectNode();
    schema.put("type", "object");
    schema.put("x-kubernetes-preserve-unknown-fields", true);
    return schema;
  }
}
