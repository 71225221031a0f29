package io.berth.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.registry.Subresource;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.ObjectCodec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The discovery documents. /api and /apis come in the aggregated form
 * ({@link AggregatedDiscovery}) when the client's Accept header asks for it, as kubectl
 * 1.32 does; otherwise, and for every other path, in the legacy (unaggregated) form:
 * /api (APIVersions), /apis (APIGroupList), then one APIResourceList per group
 * version. All are built from the resource table, so they cannot disagree with
 * what is served.
 */
public final class Discovery {
  /** The Kubernetes version whose API this server speaks (kubectl warns on skew beyond one minor). */
  static final String MAJOR = "1";
  static final String MINOR = "32";
  /** /api and /apis depend on the Accept header: caches between us and the client must know. */
  private static final Map<String, String> VARY_ACCEPT = Map.of("Vary", "Accept");

  private final ResourceTable table;
  private final AggregatedDiscovery aggregated;

  public Discovery(ResourceTable table) {
    this.table = table;
    this.aggregated = new AggregatedDiscovery(table);
  }

  /**
   * The answer to a GET of {@code path} with the client's {@code accept} header, or empty
   * if it is not a discovery path.
   */
  public Optional<ApiResponse> answer(String path, String accept) {
    String trimmed = path.replaceAll("/+$", "");
    Optional<String> version = DiscoveryFormat.aggregatedVersion(accept);
    boolean root = trimmed.equals("/api") || trimmed.equals("/apis");
    if (root && version.isPresent()) {
      String apiVersion = DiscoveryFormat.GROUP + "/" + version.get();
      ObjectNode list = trimmed.equals("/api") ? aggregated.legacyGroup(apiVersion) : aggregated.namedGroups(apiVersion);
      return Optional.of(new ApiResponse(200, ObjectCodec.encode(list), DiscoveryFormat.contentType(version.get()),
          VARY_ACCEPT));
    }
    return document(path).map(d -> new ApiResponse(200, ObjectCodec.encode(d), ApiResponse.JSON,
        root ? VARY_ACCEPT : Map.of()));
  }

  /** The document at {@code path}, or empty if it is not a discovery path. */
  public Optional<ObjectNode> document(String path) {
    List<String> s = List.of(path.replaceAll("^/+|/+$", "").split("/"));
    if (s.equals(List.of("version"))) {
      return Optional.of(version());
    }
    if (s.equals(List.of("api"))) {
      return Optional.of(apiVersions());
    }
    if (s.equals(List.of("apis"))) {
      return Optional.of(apiGroupList());
    }
    if (s.size() == 2 && s.get(0).equals("api") && table.coreVersions().contains(s.get(1))) {
      return Optional.of(resourceList("", s.get(1)));
    }
    if (s.size() == 3 && s.get(0).equals("apis") && table.namedGroups().getOrDefault(s.get(1), Set.of()).contains(s.get(2))) {
      return Optional.of(resourceList(s.get(1), s.get(2)));
    }
    return Optional.empty();
  }

  ObjectNode version() {
    ObjectNode v = object();
    v.put("major", MAJOR);
    v.put("minor", MINOR);
    v.put("gitVersion", "v" + MAJOR + "." + MINOR + ".0-berth");
    v.put("platform", System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/"
        + System.getProperty("os.arch"));
    return v;
  }

  ObjectNode apiVersions() {
    ObjectNode doc = object();
    doc.put("kind", "APIVersions");
    ArrayNode versions = doc.putArray("versions");
    table.coreVersions().forEach(versions::add);
    // Required by the schema; clients use the address they already reached us at.
    doc.putArray("serverAddressByClientCIDRs");
    return doc;
  }

  ObjectNode apiGroupList() {
    ObjectNode doc = object();
    doc.put("kind", "APIGroupList");
    doc.put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    for (Map.Entry<String, Set<String>> group : table.namedGroups().entrySet()) {
      ObjectNode g = groups.addObject();
      g.put("name", group.getKey());
      ArrayNode versions = g.putArray("versions");
      for (String version : group.getValue()) {
        versions.addObject().put("groupVersion", group.getKey() + "/" + version).put("version", version);
      }
      // The first version listed is the preferred one.
      g.set("preferredVersion", versions.get(0).deepCopy());
    }
    return doc;
  }

  ObjectNode resourceList(String group, String version) {
    ObjectNode doc = object();
    doc.put("kind", "APIResourceList");
    doc.put("apiVersion", "v1");
    doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = doc.putArray("resources");
    for (ResourceType t : table.inGroupVersion(group, version)) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      t.verbs().forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode shortNames = r.putArray("shortNames");
        t.shortNames().forEach(shortNames::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode categories = r.putArray("categories");
        t.categories().forEach(categories::add);
      }
      for (Subresource sub : t.subresources()) {
        resources.add(subresource(t, sub));
      }
    }
    return doc;
  }

  /**
   * A subresource as kube-apiserver lists it: "pods/status", no singular name, the
   * parent's scope, and group and version only when its kind is another group's.
   */
  private static ObjectNode subresource(ResourceType parent, Subresource sub) {
    ObjectNode r = object();
    r.put("name", parent.plural() + "/" + sub.name());
    r.put("singularName", "");
    r.put("namespaced", parent.namespaced());
    if (sub.group() != null) {
      r.put("group", sub.group());
      r.put("version", sub.version());
    }
    r.put("kind", sub.kind());
    ArrayNode verbs = r.putArray("verbs");
    sub.verbs().forEach(verbs::add);
    return r;
  }

  private static ObjectNode object() {
    return ObjectCodec.JSON.createObjectNode();
  }
}
