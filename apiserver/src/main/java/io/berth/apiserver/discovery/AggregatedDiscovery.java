package io.berth.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ObjectCodec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Discovery in its aggregated form (apidiscovery.k8s.io APIGroupDiscoveryList): /api
 * and /apis each answer with every group, version and resource in one document, so
 * kubectl needs no further discovery requests. Built from the resource table, as the
 * legacy documents are.
 *
 * <p>A resource is {resource, responseKind {group, version, kind}, scope, singularResource,
 * verbs, shortNames?, categories?, subresources?}; a group is {metadata {name}, versions
 * [{version, resources, freshness}]}, the preferred version first.
 */
public final class AggregatedDiscovery {
  private final ResourceTable table;

  public AggregatedDiscovery(ResourceTable table) {
    this.table = table;
  }

  /** /api: the core group, whose name is empty. */
  public ObjectNode legacyGroup(String apiVersion) {
    ObjectNode list = list(apiVersion);
    if (!table.coreVersions().isEmpty()) {
      group(list.withArray("items"), "", table.coreVersions());
    }
    return list;
  }

  /** /apis: every named group. */
  public ObjectNode namedGroups(String apiVersion) {
    ObjectNode list = list(apiVersion);
    for (Map.Entry<String, Set<String>> group : table.namedGroups().entrySet()) {
      group(list.withArray("items"), group.getKey(), group.getValue());
    }
    return list;
  }

  private static ObjectNode list(String apiVersion) {
    ObjectNode list = ObjectCodec.JSON.createObjectNode();
    list.put("kind", "APIGroupDiscoveryList");
    list.put("apiVersion", apiVersion);
    list.putObject("metadata");
    list.putArray("items");
    return list;
  }

  private void group(ArrayNode items, String name, Set<String> versions) {
    ObjectNode group = items.addObject();
    ObjectNode metadata = group.putObject("metadata");
    if (!name.isEmpty()) {
      metadata.put("name", name);
    }
    ArrayNode versionNodes = group.putArray("versions");
    for (String version : versions) {
      ObjectNode v = versionNodes.addObject();
      v.put("version", version);
      ArrayNode resources = v.putArray("resources");
      table.inGroupVersion(name, version).forEach(t -> resource(resources.addObject(), t));
      // Every version is served by this process itself, never by an unreachable aggregated server.
      v.put("freshness", "Current");
    }
  }

  private static void resource(ObjectNode r, ResourceType t) {
    r.put("resource", t.plural());
    kind(r.putObject("responseKind"), t.group(), t.version(), t.kind());
    r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
    r.put("singularResource", t.singular());
    strings(r.putArray("verbs"), t.verbs());
    if (!t.shortNames().isEmpty()) {
      strings(r.putArray("shortNames"), t.shortNames());
    }
    if (!t.categories().isEmpty()) {
      strings(r.putArray("categories"), t.categories());
    }
    List<Subresource> subresources = Subresource.of(t);
    if (!subresources.isEmpty()) {
      ArrayNode nodes = r.putArray("subresources");
      for (Subresource s : subresources) {
        ObjectNode node = nodes.addObject();
        node.put("subresource", s.name());
        kind(node.putObject("responseKind"), s.group(), s.version(), s.kind());
        strings(node.putArray("verbs"), s.verbs());
      }
    }
  }

  private static void kind(ObjectNode node, String group, String version, String kind) {
    node.put("group", group);
    node.put("version", version);
    node.put("kind", kind);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
