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
import io.berth.apiserver.patch.PatchRequest;
import io.berth.apiserver.patch.PatchSchemas;
import io.berth.apiserver.patch.PatchType;
import io.berth.apiserver.patch.Patches;
import io.berth.apiserver.table.TablePrinter;
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
    CompletableFuture<ApiResponse> response = switch (verb) {
      case "get" -> get(type, path, TablePrinter.wantsTable(request.accept()));
      case "list" -> list(type, path, ListSelection.from(request.query()), TablePrinter.wantsTable(request.accept()));
      case "create" -> create(type, path, RequestBodies.asJson(request.contentType(), request.body()));
      case "update" -> update(type, path, RequestBodies.asJson(request.contentType(), request.body()));
      case "patch" -> patch(type, path, request, RequestBodies.patchType(request.contentType()), 1);
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
      return store.update(key, ObjectCodec.encode(object), expected);
    }).thenApply(written -> json(200, MetadataPolicy.withResourceVersion(object, written.modRevision())));
  }

  /**
   * Applies a patch of any type ({@link Patches}) to the stored object and writes the
   * result conditioned on the version it was applied to. When the patch does not pin
   * another resourceVersion, a conflict means someone wrote in between: the patch is
   * applied again to the new version, as kube-apiserver does, a few times before the
   * conflict is reported. A server-side apply to a missing object creates it (201).
   */
  private CompletableFuture<ApiResponse> patch(ResourceType type, ResourcePath path, ApiRequest request,
      PatchType patchType, int attempt) {
    String key = StorageKeys.objectKey(type, path.namespace(), path.name());
    boolean[] preconditioned = {false};
    return store.get(key).thenCompose(found -> {
      if (found.isEmpty() && patchType == PatchType.APPLY) {
        HasMetadata object = patched(type, request, patchType, null);
        if (!path.name().equals(object.getMetadata().getName())) {
          throw Statuses.badRequest("the name of the object (" + object.getMetadata().getName()
              + ") does not match the name on the URL (" + path.name() + ")");
        }
        return create(type, path.namespace(), object).thenApply(created -> json(201, created));
      }
      StoredObject stored = found.orElseThrow(() -> Statuses.notFound(type, path.name()));
      HasMetadata existing = decode(type, stored);
      HasMetadata object = patched(type, request, patchType, ObjectCodec.toTree(existing));
      long expected = requestedRevision(object, type).orElse(stored.modRevision());
      preconditioned[0] = expected != stored.modRevision();
      metadata.prepareUpdate(object, existing, type, path.namespace(), path.name());
      KindDefaults.apply(object);
      GenerationPolicy.onUpdate(object, existing);
      return store.update(key, ObjectCodec.encode(object), expected)
          .thenApply(written -> json(200, MetadataPolicy.withResourceVersion(object, written.modRevision())));
    }).exceptionallyCompose(e -> {
      boolean conflict = unwrap(e) instanceof StorageException se
          && se.reason() == StorageException.Reason.REVISION_CONFLICT;
      if (conflict && !preconditioned[0] && attempt < MAX_PATCH_ATTEMPTS) {
        return patch(type, path, request, patchType, attempt + 1);
      }
      return CompletableFuture.failedFuture(e);
    });
  }

  /** The patched object, decoded as its kind; {@code live} is null when an apply creates it. */
  private HasMetadata patched(ResourceType type, ApiRequest request, PatchType patchType, JsonNode live) {
    List<String> managers = request.query().getOrDefault("fieldManager", List.of());
    String manager = managers.isEmpty() || managers.get(0).isEmpty() ? null : managers.get(0);
    if (manager == null && patchType != PatchType.APPLY) {
      // ApiRequest carries no User-Agent yet to derive the default from; an apply must name one.
      manager = Patches.defaultFieldManager(null);
    }
    boolean force = request.query().getOrDefault("force", List.of()).contains("true");
    JsonNode patched = Patches.apply(new PatchRequest(request.contentType(), live, request.body(), type.apiVersion(),
        type.kind(), PatchSchemas.forKind(type.apiVersion(), type.kind()), manager, force, metadata.clock()));
    return ObjectCodec.decodeBody(ObjectCodec.encode(patched), type);
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
