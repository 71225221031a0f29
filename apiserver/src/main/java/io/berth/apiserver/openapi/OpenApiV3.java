package io.berth.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.ObjectCodec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Serves OpenAPI v3 as kube-apiserver does:
 * <ul>
 *   <li>{@code GET /openapi/v3}: the index, {"paths": {"api/v1": {"serverRelativeURL":
 *       "/openapi/v3/api/v1?hash=H"}, "apis/apps/v1": ...}}, one entry per group version in the table;
 *   <li>{@code GET /openapi/v3/api/v1}, {@code /openapi/v3/apis/<group>/<version>}: that group
 *       version's document ({@link GroupVersionDocument}).
 * </ul>
 * H is the document's SHA-512. A request naming the current hash may be cached forever
 * (kubectl keeps documents on disk by URL); one naming an old hash is redirected to the
 * current one, as kube-apiserver does. Documents are built on first use and then kept:
 * the table does not change while the process runs.
 */
public final class OpenApiV3 {
  static final String PREFIX = "/openapi/v3";

  private final ResourceTable table;
  private final KubernetesDefinitions definitions;
  private volatile Map<String, Document> documents;

  /** One group version's document, serialized, and its hash. */
  private record Document(byte[] body, String hash) {}

  public OpenApiV3(ResourceTable table) {
    this(table, KubernetesDefinitions.shared());
  }

  OpenApiV3(ResourceTable table, KubernetesDefinitions definitions) {
    this.table = table;
    this.definitions = definitions;
  }

  /** The answer to a GET of {@code path}, or empty if it is not an OpenAPI v3 path. */
  public Optional<ApiResponse> answer(String path, Map<String, List<String>> query) {
    String trimmed = path.replaceAll("/+$", "");
    if (trimmed.equals(PREFIX)) {
      return Optional.of(index());
    }
    if (!trimmed.startsWith(PREFIX + "/")) {
      return Optional.empty();
    }
    Document document = documents().get(trimmed.substring(PREFIX.length() + 1));
    if (document == null) {
      return Optional.empty();
    }
    String key = trimmed.substring(PREFIX.length() + 1);
    String asked = query.getOrDefault("hash", List.of("")).get(0);
    if (asked.isEmpty()) {
      return Optional.of(new ApiResponse(200, document.body(), ApiResponse.JSON,
          Map.of("ETag", "\"" + document.hash() + "\"", "Cache-Control", "no-cache, private")));
    }
    if (!asked.equals(document.hash())) {
      return Optional.of(new ApiResponse(301, new byte[0], ApiResponse.JSON,
          Map.of("Location", url(key, document), "Cache-Control", "no-cache, private")));
    }
    return Optional.of(new ApiResponse(200, document.body(), ApiResponse.JSON,
        Map.of("ETag", "\"" + document.hash() + "\"", "Cache-Control", "public, immutable",
            "Expires", "Thu, 31 Dec 2099 23:59:59 GMT")));
  }

  private ApiResponse index() {
    ObjectNode index = ObjectCodec.JSON.createObjectNode();
    ObjectNode paths = index.putObject("paths");
    documents().forEach((key, document) -> paths.putObject(key).put("serverRelativeURL", url(key, document)));
    return new ApiResponse(200, ObjectCodec.encode(index), ApiResponse.JSON, Map.of("Cache-Control", "no-cache, private"));
  }

  private static String url(String key, Document document) {
    return PREFIX + "/" + key + "?hash=" + document.hash();
  }

  private Map<String, Document> documents() {
    Map<String, Document> built = documents;
    if (built == null) {
      synchronized (this) {
        built = documents;
        if (built == null) {
          built = build();
          documents = built;
        }
      }
    }
    return built;
  }

  private Map<String, Document> build() {
    GroupVersionDocument builder = new GroupVersionDocument(definitions);
    Map<String, Document> built = new LinkedHashMap<>();
    for (String version : table.coreVersions()) {
      built.put("api/" + version, document(builder.build("", version, table.inGroupVersion("", version))));
    }
    for (Map.Entry<String, Set<String>> group : table.namedGroups().entrySet()) {
      for (String version : group.getValue()) {
        built.put("apis/" + group.getKey() + "/" + version,
            document(builder.build(group.getKey(), version, table.inGroupVersion(group.getKey(), version))));
      }
    }
    return Collections.unmodifiableMap(built);
  }

  private static Document document(ObjectNode doc) {
    byte[] body = ObjectCodec.encode(doc);
    return new Document(body, sha512(body));
  }

  private static String sha512(byte[] body) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-512", e);
    }
  }
}
