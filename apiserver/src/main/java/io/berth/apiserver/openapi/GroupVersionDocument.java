package io.berth.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ObjectCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI v3 document of one group version ({@code /openapi/v3/apis/apps/v1}), built
 * from the resource table's rows for it:
 * <ul>
 *   <li>{@code paths}: per resource, the collection path (list, create) and the item path (read,
 *       replace, patch, delete), only for the verbs the row supports; each operation names its
 *       kind in {@code x-kubernetes-group-version-kind}, and writes take {@code fieldValidation}.
 *       kubectl reads both: explain finds a resource's kind through them, and apply/create send
 *       fieldValidation=Strict (leaving validation to us) only when the patch operation of the
 *       kind lists that parameter.
 *   <li>{@code components.schemas}: each kind and its list kind, tagged with their
 *       {@code x-kubernetes-group-version-kind} (what explain looks a kind up by), and every
 *       schema they reference, as Kubernetes defines them.
 * </ul>
 */
final class GroupVersionDocument {
  private final KubernetesDefinitions definitions;

  GroupVersionDocument(KubernetesDefinitions definitions) {
    this.definitions = definitions;
  }

  ObjectNode build(String group, String version, List<ResourceType> types) {
    ObjectNode doc = ObjectCodec.JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    List<String> roots = new ArrayList<>(List.of(DefinitionNames.STATUS, DefinitionNames.DELETE_OPTIONS,
        DefinitionNames.PATCH));
    for (ResourceType type : types) {
      roots.add(kindSchema(type));
      roots.add(listSchema(type));
      new ResourcePaths(type, kindSchema(type), listSchema(type)).addTo(paths);
    }
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (Map.Entry<String, ObjectNode> schema : definitions.closure(roots).entrySet()) {
      schemas.set(schema.getKey(), schema.getValue().deepCopy());
    }
    for (ResourceType type : types) {
      tagKind((ObjectNode) schemas.get(kindSchema(type)), type.group(), type.version(), type.kind());
      tagKind((ObjectNode) schemas.get(listSchema(type)), type.group(), type.version(), type.listKind());
    }
    return doc;
  }

  private static String kindSchema(ResourceType type) {
    return DefinitionNames.forKind(type.group(), type.version(), type.kind());
  }

  private static String listSchema(ResourceType type) {
    return DefinitionNames.forKind(type.group(), type.version(), type.listKind());
  }

  private static void tagKind(ObjectNode schema, String group, String version, String kind) {
    gvk(schema.putArray("x-kubernetes-group-version-kind").addObject(), group, version, kind);
  }

  static ObjectNode gvk(ObjectNode node, String group, String version, String kind) {
    return node.put("group", group).put("version", version).put("kind", kind);
  }

  /** The two paths of one resource and their operations. */
  private record ResourcePaths(ResourceType type, String kindSchema, String listSchema) {
    void addTo(ObjectNode paths) {
      String collection = "/" + (type.group().isEmpty() ? "api/" + type.version() : "apis/" + type.apiVersion())
          + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
      ObjectNode collectionPath = paths.putObject(collection);
      ObjectNode itemPath = paths.putObject(collection + "/{name}");
      pathParameters(collectionPath, false);
      pathParameters(itemPath, true);
      if (type.supports("list")) {
        operation(collectionPath, "get", "list", listSchema, null, List.of("labelSelector", "fieldSelector", "limit",
            "resourceVersion"));
      }
      if (type.supports("create")) {
        operation(collectionPath, "post", "create", kindSchema, "application/json", WRITE_PARAMETERS);
      }
      if (type.supports("get")) {
        operation(itemPath, "get", "read", kindSchema, null, List.of());
      }
      if (type.supports("update")) {
        operation(itemPath, "put", "replace", kindSchema, "application/json", WRITE_PARAMETERS);
      }
      if (type.supports("patch")) {
        operation(itemPath, "patch", "patch", kindSchema, "application/merge-patch+json", WRITE_PARAMETERS);
      }
      if (type.supports("delete")) {
        operation(itemPath, "delete", "delete", kindSchema, null, List.of());
      }
    }

    private static final List<String> WRITE_PARAMETERS = List.of("dryRun", "fieldManager", "fieldValidation");

    private void pathParameters(ObjectNode path, boolean named) {
      ArrayNode parameters = path.putArray("parameters");
      if (named) {
        pathParameter(parameters, "name", "name of the " + type.kind());
      }
      if (type.namespaced()) {
        pathParameter(parameters, "namespace", "object name and auth scope, such as for teams and projects");
      }
      queryParameter(parameters, "pretty");
    }

    /**
     * One operation. kube-apiserver names them {@code <action><Group><Version>[Namespaced]<Kind>}
     * (patchAppsV1NamespacedDeployment); the name is documentation only.
     */
    private void operation(ObjectNode path, String method, String action, String schema, String bodyType,
        List<String> query) {
      ObjectNode op = path.putObject(method);
      op.put("operationId", action + groupWord() + capitalize(type.version())
          + (type.namespaced() ? "Namespaced" : "") + type.kind());
      op.put("description", action + " " + (action.equals("list") ? "objects of kind " : "the specified ")
          + type.kind());
      ArrayNode parameters = op.putArray("parameters");
      query.forEach(name -> queryParameter(parameters, name));
      if (bodyType != null) {
        ObjectNode body = op.putObject("requestBody");
        body.put("required", true);
        String bodySchema = bodyType.equals("application/json") ? schema : DefinitionNames.PATCH;
        body.putObject("content").putObject(bodyType).putObject("schema").put("$ref",
            SwaggerToOpenApi3.V3_PREFIX + bodySchema);
      }
      ObjectNode ok = op.putObject("responses").putObject(method.equals("post") ? "201" : "200");
      ok.put("description", method.equals("post") ? "Created" : "OK");
      ok.putObject("content").putObject("application/json").putObject("schema").put("$ref",
          SwaggerToOpenApi3.V3_PREFIX + schema);
      op.put("x-kubernetes-action", switch (action) {
        case "read" -> "get";
        case "replace" -> "put";
        case "create" -> "post";
        default -> action;
      });
      gvk(op.putObject("x-kubernetes-group-version-kind"), type.group(), type.version(), type.kind());
    }

    private String groupWord() {
      return capitalize(DefinitionNames.goPackage(type.group()));
    }

    private static void pathParameter(ArrayNode parameters, String name, String description) {
      ObjectNode p = parameters.addObject();
      p.put("name", name).put("in", "path").put("required", true).put("description", description);
      p.putObject("schema").put("type", "string").put("uniqueItems", true);
    }

    private static void queryParameter(ArrayNode parameters, String name) {
      ObjectNode p = parameters.addObject();
      p.put("name", name).put("in", "query").put("description", QUERY_PARAMETERS.get(name));
      p.putObject("schema").put("type", name.equals("limit") ? "integer" : "string").put("uniqueItems", true);
    }

    private static String capitalize(String s) {
      return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
  }

  /** What the query parameters the documents list mean here. */
  private static final Map<String, String> QUERY_PARAMETERS = Map.of(
      "pretty", "If 'true', then the output is pretty printed (accepted, no effect).",
      "labelSelector", "A selector to restrict the list of returned objects by their labels.",
      "fieldSelector", "A selector to restrict the list of returned objects by their fields "
          + "(metadata.name and metadata.namespace).",
      "limit", "The maximum number of responses to return (accepted; a list may hold more).",
      "resourceVersion", "The latest state is never older than the resourceVersion given.",
      "dryRun", "Not supported yet: a request that names it is refused.",
      "fieldManager", "The name of the actor making the change (accepted, not recorded yet).",
      "fieldValidation", "How to treat fields the kind does not define: Strict refuses the request "
          + "(400 BadRequest naming every unknown field); Ignore and Warn accept it and keep them.");
}
