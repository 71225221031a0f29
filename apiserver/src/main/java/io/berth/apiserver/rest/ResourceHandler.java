package io.berth.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.storage.ObjectStore;
import io.berth.apiserver.storage.StorageException;
import io.berth.apiserver.storage.StorageKeys;
import io.berth.apiserver.storage.StoredList;
import io.berth.apiserver.storage.StoredObject;
import io.berth.apiserver.patch.JsonMergePatch;
import io.berth.apiserver.table.TablePrinter;
import io.berth.apiserver.validation.FieldValidation;
import io.berth.apiserver.validation.Validation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * create, get, list, update and delete of any resource in the table, with
 * Kubernetes' semantics; the store does the concurrency control (each write is one
 * conditional Txn), so two replicas can serve writes to the same object at once.
 */
public final class ResourceHandler {
  /** As Kubernetes' namespace lifecycle admission: the cluster itself relies on these. */
  private static final Set<String> UNDELETABLE_NAMESPACES = Set.of("default", "kube-system",
      "kube-public");

  /** How many times a patch without a resourceVersion is applied again after losing a race. */
  private static final int MAX_PATCH_ATTEMPTS = 5;

  private final ResourceTable table;
  private final ObjectStore store;
  private final MetadataPolicy metadata;
  private final ResourceType namespaces;
  private final TablePrinter tables;

  public ResourceHandler(ResourceTable table, ObjectStore store, MetadataPolicy metadata) {
    this.table = table;
    this.store = store;
    this.metadata = metadata;
    this.tables = new TablePrinter(metadata.clock());
    this.namespaces = table.find("", "v1", "namespaces")
        .orElseThrow(() -> new IllegalArgumentException("the resource table must serve v1 namespaces"));
  }

  /**
   * Serves one request to a resource path; refusals are {@link ApiException}s, thrown
   * or failing the future.
   *
   * @param path the request's path, parsed
   */
  public CompletableFuture<ApiResponse> handle(ApiRequest request, ResourcePath path) {
    String method = request.method();
    ResourceType type = table.find(path.group(), path.version(), path.plural())
        .orElseThrow(Statuses::pathNotFound);
    if (path.subresource() != null || (!type.namespaced() && path.namespace() != null)) {
      throw Statuses.pathNotFound();
    }
    String verb = verb(method, path.name() != null);
    if (verb == null || !type.supports(verb)) {
      throw Statuses.methodNotSupported(type, verb == null ? method.toLowerCase(Locale.ROOT) : verb);
    }
    UnsupportedOptions.check(request.query());
    List<String> warnings = unknownFields(request, type, verb); // for Warning headers, once responses carry headers
    CompletableFuture<ApiResponse> response = switch (verb) {
      case "get" -> get(type, path, TablePrinter.wantsTable(request.accept()));
      case "list" -> list(type, path, ListSelection.from(request.query()), TablePrinter.wantsTable(request.accept()));
      case "create" -> create(type, path, RequestBodies.asJson(request.contentType(), request.body()));
      case "update" -> update(type, path, RequestBodies.asJson(request.contentType(), request.body()));
      case "patch" -> patch(type, path, RequestBodies.asMergePatch(request.contentType(), request.body()), 1);
      case "delete" -> delete(type, path);
      default -> throw Statuses.methodNotSupported(type, verb);
    };
    return response.exceptionally(e -> {
      throw asApiException(unwrap(e), type, path.name());
    });
  }

  /** Creates {@code object} (already decoded) in {@code namespace}; used for system namespaces too. */
  public CompletableFuture<HasMetadata> create(ResourceType type, String namespace, HasMetadata object) {
    metadata.prepareCreate(object, type, namespace);
    KindDefaults.apply(object);
    GenerationPolicy.onCreate(object);
    Validation.validateCreate(type, object);
    String name = object.getMetadata().getName();
    CompletableFuture<Void> namespaceExists = type.namespaced() ? requireNamespace(namespace)
        : CompletableFuture.completedFuture(null);
    return namespaceExists
        .thenCompose(ok -> store.create(StorageKeys.objectKey(type, namespace, name), ObjectCodec.encode(object)))
        .thenApply(written -> MetadataPolicy.withResourceVersion(object, written.modRevision()))
        .exceptionally(e -> {
          throw asApiException(unwrap(e), type, name);
        });
  }

  private CompletableFuture<ApiResponse> create(ResourceType type, ResourcePath path, byte[] body) {
    if (type.namespaced() && path.namespace() == null) {
      throw Statuses.pathNotFound();
    }
    HasMetadata object = ObjectCodec.decodeBody(body, type);
    return create(type, path.namespace(), object).thenApply(created -> json(201, created));
  }

  private CompletableFuture<ApiResponse> get(ResourceType type, ResourcePath path, boolean asTable) {
    return read(type, path).thenApply(object -> json(200,
        asTable ? tables.table(type.kind(), List.of(ObjectCodec.toTree(object)), null) : object));
  }

  private CompletableFuture<ApiResponse> list(ResourceType type, ResourcePath path, ListSelection selection,
      boolean asTable) {
    return store.list(StorageKeys.collectionPrefix(type, path.namespace()), 0).thenApply(list -> {
      ObjectNode body = listBody(type, list, selection);
      if (!asTable) {
        return json(200, body);
      }
      List<JsonNode> items = new ArrayList<>();
      body.get("items").forEach(items::add);
      return json(200, tables.table(type.kind(), items, body.get("metadata")));
    });
  }

  private CompletableFuture<ApiResponse> update(ResourceType type, ResourcePath path, byte[] body) {
    HasMetadata object = ObjectCodec.decodeBody(body, type);
    String key = StorageKeys.objectKey(type, path.namespace(), path.name());
    return store.get(key).thenCompose(found -> {
      StoredObject stored = found.orElseThrow(() -> Statuses.notFound(type, path.name()));
      HasMetadata existing = ObjectCodec.decodeStored(stored.value(), type);
      // An update without a resourceVersion is unconditional, as Kubernetes allows for
      // these kinds: it applies to whatever version was just read.
      long expected = requestedRevision(object, type).orElse(stored.modRevision());
      metadata.prepareUpdate(object, existing, type, path.namespace(), path.name());
      KindDefaults.apply(object);
      GenerationPolicy.onUpdate(object, existing);
      Validation.validateUpdate(type, object, existing);
      return store.update(key, ObjectCodec.encode(object), expected);
    }).thenApply(written -> json(200, MetadataPolicy.withResourceVersion(object, written.modRevision())));
  }

  /**
   * Applies a merge patch to the stored object and writes the result conditioned on the
   * version it was applied to. Without a resourceVersion in the patch, a conflict means
   * someone wrote in between: the patch is applied again to the new version, as
   * kube-apiserver does, a few times before the conflict is reported.
   */
  private CompletableFuture<ApiResponse> patch(ResourceType type, ResourcePath path, JsonNode patch, int attempt) {
    String key = StorageKeys.objectKey(type, path.namespace(), path.name());
    boolean preconditioned = !patch.at("/metadata/resourceVersion").asText("").isEmpty();
    return store.get(key).thenCompose(found -> {
      StoredObject stored = found.orElseThrow(() -> Statuses.notFound(type, path.name()));
      HasMetadata existing = decode(type, stored);
      JsonNode patched = JsonMergePatch.apply(ObjectCodec.toTree(existing), patch);
      HasMetadata object = ObjectCodec.decodeBody(ObjectCodec.encode(patched), type);
      long expected = requestedRevision(object, type).orElse(stored.modRevision());
      metadata.prepareUpdate(object, existing, type, path.namespace(), path.name());
      KindDefaults.apply(object);
      GenerationPolicy.onUpdate(object, existing);
      Validation.validateUpdate(type, object, existing);
      return store.update(key, ObjectCodec.encode(object), expected)
          .thenApply(written -> json(200, MetadataPolicy.withResourceVersion(object, written.modRevision())));
    }).exceptionallyCompose(e -> {
      boolean conflict = unwrap(e) instanceof StorageException se
          && se.reason() == StorageException.Reason.REVISION_CONFLICT;
      if (conflict && !preconditioned && attempt < MAX_PATCH_ATTEMPTS) {
        return patch(type, path, patch, attempt + 1);
      }
      return CompletableFuture.failedFuture(e);
    });
  }

  private CompletableFuture<ApiResponse> delete(ResourceType type, ResourcePath path) {
    if (type.equals(namespaces) && UNDELETABLE_NAMESPACES.contains(path.name())) {
      throw Statuses.forbidden(type, path.name(), "this namespace may not be deleted");
    }
    String key = StorageKeys.objectKey(type, path.namespace(), path.name());
    return store.get(key).thenCompose(found -> {
      StoredObject stored = found.orElseThrow(() -> Statuses.notFound(type, path.name()));
      return store.delete(key, stored.modRevision());
    }).thenApply(deleted -> json(200, decode(type, deleted)));
  }

  private CompletableFuture<HasMetadata> read(ResourceType type, ResourcePath path) {
    return store.get(StorageKeys.objectKey(type, path.namespace(), path.name()))
        .thenApply(found -> decode(type, found.orElseThrow(() -> Statuses.notFound(type, path.name()))));
  }

  /** Creating in a namespace that does not exist is a NotFound for the namespace, as in Kubernetes. */
  private CompletableFuture<Void> requireNamespace(String namespace) {
    return store.get(StorageKeys.objectKey(namespaces, null, namespace)).thenAccept(found -> {
      if (found.isEmpty()) {
        throw Statuses.notFound(namespaces, namespace);
      }
    });
  }

  private static Optional<Long> requestedRevision(HasMetadata object, ResourceType type) {
    String rv = object.getMetadata() == null ? null : object.getMetadata().getResourceVersion();
    if (rv == null || rv.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(rv));
    } catch (NumberFormatException e) {
      throw Statuses.badRequest("invalid resourceVersion \"" + rv + "\" for " + type.groupResource());
    }
  }

  /** fieldValidation=Strict|Warn|Ignore on the body as sent: the object, or the merge patch. */
  private static List<String> unknownFields(ApiRequest request, ResourceType type, String verb) {
    return switch (verb) {
      case "create", "update" -> FieldValidation.check(request.query(), verb, type,
          RequestBodies.asJson(request.contentType(), request.body()));
      case "patch" -> FieldValidation.check(request.query(), verb, type,
          ObjectCodec.encode(RequestBodies.asMergePatch(request.contentType(), request.body())));
      default -> List.of();
    };
  }

  private static ObjectNode listBody(ResourceType type, StoredList list, ListSelection selection) {
    ObjectNode body = ObjectCodec.JSON.createObjectNode();
    body.put("kind", type.listKind());
    body.put("apiVersion", type.apiVersion());
    body.putObject("metadata").put("resourceVersion", Long.toString(list.revision()));
    ArrayNode items = body.putArray("items");
    for (StoredObject item : list.items()) {
      HasMetadata object = decode(type, item);
      if (selection.matches(object)) {
        items.add(ObjectCodec.toTree(object));
      }
    }
    return body;
  }

  private static HasMetadata decode(ResourceType type, StoredObject stored) {
    return MetadataPolicy.withResourceVersion(ObjectCodec.decodeStored(stored.value(), type), stored.modRevision());
  }

  private static ApiResponse json(int code, Object body) {
    return new ApiResponse(code, ObjectCodec.encode(body));
  }

  private static String verb(String method, boolean named) {
    return switch (method) {
      case "GET" -> named ? "get" : "list";
      case "POST" -> named ? null : "create";
      case "PUT" -> named ? "update" : null;
      case "PATCH" -> named ? "patch" : null;
      case "DELETE" -> named ? "delete" : null;
      default -> null;
    };
  }

  private static RuntimeException asApiException(Throwable e, ResourceType type, String name) {
    if (e instanceof ApiException api) {
      return api;
    }
    if (e instanceof StorageException se) {
      return switch (se.reason()) {
        case KEY_EXISTS -> Statuses.alreadyExists(type, name);
        case KEY_NOT_FOUND -> Statuses.notFound(type, name);
        case REVISION_CONFLICT -> Statuses.conflict(type, name);
        case UNAVAILABLE -> Statuses.unavailable(se.getMessage());
        case INTERNAL -> Statuses.internal(se.getMessage());
      };
    }
    return e instanceof RuntimeException re ? re : new CompletionException(e);
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
