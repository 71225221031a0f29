package io.berth.apiserver.rest;

import io.berth.apiserver.defaulting.ServiceAccountTokenVolume;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.cache.WatchCaches;
import io.berth.apiserver.cache.WatchEvent;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.storage.Fence;
import io.berth.apiserver.storage.ObjectStore;
import io.berth.apiserver.storage.StorageException;
import io.berth.apiserver.storage.StorageKeys;
import io.berth.apiserver.storage.StoredObject;
import io.berth.apiserver.patch.PatchRequest;
import io.berth.apiserver.patch.PatchSchemas;
import io.berth.apiserver.patch.PatchType;
import io.berth.apiserver.patch.Patches;
import io.berth.apiserver.table.TablePrinter;
import io.berth.apiserver.validation.Validation;
import io.berth.apiserver.allocation.NodePortAllocator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Predicate;
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
  private final WatchCaches caches;
  private final CollectionLister lister;
  private final SubresourceHandler subresources;
  private final ScheduledExecutorService timer;

  /**
   * @param caches the watch caches of every type in {@code table}, which serve lists and watches
   * @param timer ends watches when their time is up
   */
  private final NodePortAllocator nodePorts;
  private final boolean serviceAccountTokens;

  public ResourceHandler(ResourceTable table, ObjectStore store, WatchCaches caches, MetadataPolicy metadata,
      ScheduledExecutorService timer) {
    this(table, store, caches, metadata, timer, AgentConnections.plaintext());
  }

  /** As above, with pods/log reaching agents through {@code agents}. */
  public ResourceHandler(ResourceTable table, ObjectStore store, WatchCaches caches, MetadataPolicy metadata,
      ScheduledExecutorService timer, AgentConnections agents) {
    this(table, store, caches, metadata, timer, agents, false);
  }

  /**
   * As above; with {@code serviceAccountTokens}, a new pod gets its service account's token
   * mounted ({@link ServiceAccountTokenVolume}), which only a server that mints tokens can offer.
   */
  public ResourceHandler(ResourceTable table, ObjectStore store, WatchCaches caches, MetadataPolicy metadata,
      ScheduledExecutorService timer, AgentConnections agents, boolean serviceAccountTokens) {
    this.serviceAccountTokens = serviceAccountTokens;
    this.table = table;
    this.store = store;
    this.metadata = metadata;
    this.caches = caches;
    this.timer = timer;
    this.tables = new TablePrinter(metadata.clock());
    this.lister = new CollectionLister(store, caches, tables);
    this.subresources = new SubresourceHandler(store, metadata, this::delete, agents);
    this.namespaces = table.find("", "v1", "namespaces")
        .orElseThrow(() -> new IllegalArgumentException("the resource table must serve v1 namespaces"));
    this.nodePorts = new NodePortAllocator(store, table.find("", "v1", "services")
        .orElseThrow(() -> new IllegalArgumentException("the resource table must serve v1 services")),
        metadata.clock(), new java.util.SplittableRandom());
  }

  /**
   * Serves one request to a resource path; refusals are {@link ApiException}s, thrown
   * or failing the future.
   *
   * @param path the request's path, parsed
   */
  public CompletableFuture<ApiResponse> handle(ApiRequest request, ResourcePath path) {
    String token = request.header(Fence.HEADER);
    if (token != null && Verbs.isMutating(request.method())) {
      // A leader-only component's write: every store write it causes carries the fence.
      Fence fence;
      try {
        fence = Fence.parse(token);
      } catch (IllegalArgumentException e) {
        throw Statuses.badRequest(e.getMessage());
      }
      return new ResourceHandler(this, store.fencedBy(fence)).serve(request, path);
    }
    return serve(request, path);
  }

  /** The same handler writing through {@code fencedStore}: one per fenced request. */
  private ResourceHandler(ResourceHandler plain, ObjectStore fencedStore) {
    this(plain.table, fencedStore, plain.caches, plain.metadata, plain.timer, AgentConnections.plaintext(),
        plain.serviceAccountTokens);
  }

  private CompletableFuture<ApiResponse> serve(ApiRequest request, ResourcePath path) {
    String method = request.method();
    ResourceType type = table.find(path.group(), path.version(), path.plural())
        .orElseThrow(Statuses::pathNotFound);
    if (!type.namespaced() && path.namespace() != null) {
      throw Statuses.pathNotFound();
    }
    String verb = Verbs.of(method, path, request.query());
    if (verb == null || !type.supports(verb)) {
      throw Statuses.methodNotSupported(type, verb == null ? method.toLowerCase(Locale.ROOT) : verb);
    }
    UnsupportedOptions.check(request.query());
    if (path.subresource() != null) {
      return subresources.handle(request, type, path, verb).exceptionally(e -> {
        throw asApiException(unwrap(e), type, path.name());
      });
    }
    CompletableFuture<ApiResponse> response = switch (verb) {
      case "get" -> get(type, path, TablePrinter.wantsTable(request.accept()));
      case "list" -> lister.list(type, path.namespace(), ListOptions.from(request.query(), type.kind()),
          TablePrinter.wantsTable(request.accept()));
      case "watch" -> watch(type, path, ListOptions.from(request.query(), type.kind()),
          TablePrinter.wantsTable(request.accept()));
      case "create" -> {
        byte[] body = RequestBodies.asJson(request.contentType(), request.body());
        List<String> warnings = FieldValidation.check(request.query(), type, body);
        yield create(type, path, body, FieldManagers.of(request, null)).thenApply(r -> FieldValidation.withWarnings(r, warnings));
      }
      case "update" -> {
        byte[] body = RequestBodies.asJson(request.contentType(), request.body());
        List<String> warnings = FieldValidation.check(request.query(), type, body);
        yield update(type, path, body, FieldManagers.of(request, null)).thenApply(r -> FieldValidation.withWarnings(r, warnings));
      }
      case "patch" -> patch(type, path, request, RequestBodies.patchType(request.contentType()), 1);
      case "delete" -> delete(type, path.namespace(), path.name(), DeleteOptions.from(request.query(), request.body()));
      case "deletecollection" -> deleteCollection(type, path.namespace(), request);
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
    if (serviceAccountTokens && object instanceof Pod pod) {
      ServiceAccountTokenVolume.apply(pod, metadata.randomSuffix());
    }
    GenerationPolicy.onCreate(object);
    Validation.validateCreate(type, object);
    String name = object.getMetadata().getName();
    CompletableFuture<Void> namespaceExists = type.namespaced() ? requireLiveNamespace(type, namespace, name)
        : CompletableFuture.completedFuture(null);
    return namespaceExists
        .thenCompose(ok -> allocate(type, object, null))
        .thenCompose(ok -> store.create(StorageKeys.objectKey(type, namespace, name), ObjectCodec.encode(object)))
        .thenApply(written -> MetadataPolicy.withResourceVersion(object, written.modRevision()))
        .exceptionally(e -> {
          throw asApiException(unwrap(e), type, name);
        });
  }

  private CompletableFuture<ApiResponse> create(ResourceType type, ResourcePath path, byte[] body, String manager) {
    if (type.namespaced() && path.namespace() == null) {
      throw Statuses.pathNotFound();
    }
    HasMetadata object = withManagedFields(type, null, ObjectCodec.decodeBody(body, type), manager);
    return create(type, path.namespace(), object).thenApply(created -> json(201, created));
  }

  private CompletableFuture<ApiResponse> get(ResourceType type, ResourcePath path, boolean asTable) {
    return read(type, path).thenApply(object -> json(200,
        asTable ? tables.table(type.kind(), List.of(ObjectCodec.toTree(object)), null) : object));
  }

  /**
   * Starts a watch: from the cache's current state (no resourceVersion: once the cache
   * has caught up with the quorum; 0: as it is), or from the changes after a
   * resourceVersion, once the cache has reached it.
   */
  private CompletableFuture<ApiResponse> watch(ResourceType type, ResourcePath path, ListOptions options,
      boolean asTable) {
    WatchCache cache = caches.of(type);
    String prefix = StorageKeys.collectionPrefix(type, path.namespace());
    String name = path.name();
    Predicate<HasMetadata> filter = name == null && options.selection().isEverything() ? null
        : o -> (name == null || name.equals(o.getMetadata().getName())) && options.selection().matches(o);
    OptionalLong from = options.anyVersion() ? OptionalLong.empty() : options.revision();
    CompletableFuture<Void> caughtUp;
    if (options.anyVersion()) {
      caughtUp = cache.waitUntil(1, CollectionLister.CACHE_WAIT);
    } else if (from.isPresent()) {
      long wanted = from.getAsLong();
      caughtUp = cache.waitUntil(wanted, CollectionLister.CACHE_WAIT).exceptionally(e -> {
        throw Statuses.tooLargeResourceVersion(wanted, cache.revision());
      });
    } else {
      caughtUp = cache.catchUpWithQuorum(CollectionLister.CACHE_WAIT).exceptionally(e -> {
        if (CollectionLister.unwrap(e) instanceof java.util.concurrent.TimeoutException) {
          throw Statuses.unavailable("this replica's watch cache of " + type.groupResource()
              + " has not caught up with the store; retry, or use another replica");
        }
        throw new CompletionException(CollectionLister.unwrap(e));
      });
    }
    Function<WatchEvent, byte[]> encoder = asTable ? event -> tableFrame(type, event) : WatchEvent::jsonFrame;
    return caughtUp.thenApply(ok -> ApiResponse.streaming(new WatchResponder(cache, prefix, filter,
        options.allowBookmarks(), from, options.sendInitialEvents(), options.timeout(), timer, encoder)));
  }

  /** A watch event whose object is a one-row Table, for {@code kubectl get -w}. */
  private byte[] tableFrame(ResourceType type, WatchEvent event) {
    if (event.object() == null) {
      return event.jsonFrame();
    }
    ObjectNode frame = ObjectCodec.JSON.createObjectNode();
    frame.put("type", event.type().name());
    ObjectNode listMetadata = ObjectCodec.JSON.createObjectNode();
    listMetadata.put("resourceVersion", Long.toString(event.revision()));
    frame.set("object", tables.table(type.kind(), List.of(event.object().tree()), listMetadata));
    byte[] json = ObjectCodec.encode(frame);
    byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    return line;
  }

  private CompletableFuture<ApiResponse> update(ResourceType type, ResourcePath path, byte[] body, String manager) {
    HasMetadata decoded = ObjectCodec.decodeBody(body, type);
    String key = StorageKeys.objectKey(type, path.namespace(), path.name());
    return store.get(key).thenCompose(found -> {
      StoredObject stored = found.orElseThrow(() -> Statuses.notFound(type, path.name()));
      HasMetadata existing = ObjectCodec.decodeStored(stored.value(), type);
      HasMetadata object = withManagedFields(type, existing, decoded, manager);
      // An update without a resourceVersion is unconditional, as Kubernetes allows for
      // these kinds: it applies to whatever version was just read.
      long expected = requestedRevision(object, type).orElse(stored.modRevision());
      metadata.prepareUpdate(object, existing, type, path.namespace(), path.name());
      KindDefaults.apply(object);
      GenerationPolicy.onUpdate(object, existing);
      Validation.validateUpdate(type, object, existing);
      return allocate(type, object, existing).thenCompose(ok -> write(type, key, object, expected));
    });
  }

  /** Services of type NodePort and LoadBalancer get their nodePorts here, after validation, before the write. */
  private CompletableFuture<Void> allocate(ResourceType type, HasMetadata object, HasMetadata existing) {
    if (object instanceof io.fabric8.kubernetes.api.model.Service service && type.group().isEmpty()) {
      return nodePorts.allocate(service, (io.fabric8.kubernetes.api.model.Service) existing);
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Writes an updated object, or removes it when the update took the last finalizer
   * off an object that was being deleted (Kubernetes' way of finishing a delete).
   */
  private CompletableFuture<ApiResponse> write(ResourceType type, String key, HasMetadata object, long expected) {
    if (Deletion.finishedBy(object)) {
      return store.delete(key, expected).thenApply(deleted -> json(200, object));
    }
    return store.update(key, ObjectCodec.encode(object), expected)
        .thenApply(written -> json(200, MetadataPolicy.withResourceVersion(object, written.modRevision())));
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
      Validation.validateUpdate(type, object, existing);
      return allocate(type, object, existing).thenCompose(ok -> write(type, key, object, expected));
    }).exceptionallyCompose(e -> {
      boolean conflict = unwrap(e) instanceof StorageException se
          && se.reason() == StorageException.Reason.REVISION_CONFLICT;
      if (conflict && !preconditioned[0] && attempt < MAX_PATCH_ATTEMPTS) {
        return patch(type, path, request, patchType, attempt + 1);
      }
      return CompletableFuture.failedFuture(e);
    });
  }

  /**
   * The object with managedFields recording that {@code manager} set what it added or
   * changed since {@code old} (null for a create), as kube-apiserver records an Update.
   */
  private HasMetadata withManagedFields(ResourceType type, HasMetadata old, HasMetadata updated, String manager) {
    ObjectNode tree = (ObjectNode) ObjectCodec.toTree(updated);
    Patches.recordUpdate(old == null ? null : ObjectCodec.toTree(old), tree, manager,
        PatchSchemas.forKind(type.apiVersion(), type.kind()), metadata.clock());
    return ObjectCodec.decodeBody(ObjectCodec.encode(tree), type);
  }

  /** The patched object, decoded as its kind; {@code live} is null when an apply creates it. */
  private HasMetadata patched(ResourceType type, ApiRequest request, PatchType patchType, JsonNode live) {
    String manager = FieldManagers.of(request, patchType);
    boolean force = FieldManagers.isForce(request);
    JsonNode patched = Patches.apply(new PatchRequest(request.contentType(), live, request.body(), type.apiVersion(),
        type.kind(), PatchSchemas.forKind(type.apiVersion(), type.kind()), manager, force, metadata.clock()));
    return ObjectCodec.decodeBody(ObjectCodec.encode(patched), type);
  }

  /**
   * Deletes one object as {@link Deletion} plans it: removed now (200 with the object),
   * or marked as being deleted and written back (202 with the object, as
   * kube-apiserver answers a delete it has not finished).
   */
  CompletableFuture<ApiResponse> delete(ResourceType type, String namespace, String name, DeleteOptions options) {
    if (type.equals(namespaces) && UNDELETABLE_NAMESPACES.contains(name)) {
      throw Statuses.forbidden(type, name, "this namespace may not be deleted");
    }
    String key = StorageKeys.objectKey(type, namespace, name);
    return store.get(key).thenCompose(found -> {
      StoredObject stored = found.orElseThrow(() -> Statuses.notFound(type, name));
      HasMetadata existing = decode(type, stored);
      Deletion.Plan plan = Deletion.plan(existing, options, metadata.clock(),
          Statuses.qualified(type) + " \"" + name + "\"");
      return switch (plan) {
        case Deletion.RemoveNow now -> store.delete(key, stored.modRevision())
            .thenApply(deleted -> json(200, decode(type, deleted)));
        case Deletion.Mark mark -> store.update(key, ObjectCodec.encode(withoutVersion(mark.marked())),
                stored.modRevision())
            .thenApply(written -> json(202, MetadataPolicy.withResourceVersion(mark.marked(), written.modRevision())));
        case Deletion.AlreadyDeleting already -> CompletableFuture.completedFuture(json(202, existing));
      };
    }).exceptionallyCompose(e -> {
      // Someone wrote in between (an agent updating status, a finalizer removed): plan again.
      boolean conflict = unwrap(e) instanceof StorageException se
          && se.reason() == StorageException.Reason.REVISION_CONFLICT;
      return conflict && options.resourceVersion() == null ? delete(type, namespace, name, options)
          : CompletableFuture.failedFuture(e);
    });
  }

  /**
   * DELETE on a collection: every object the selectors pick, each deleted as a
   * single delete would be; the answer lists them as they were left.
   */
  private CompletableFuture<ApiResponse> deleteCollection(ResourceType type, String namespace, ApiRequest request) {
    ListOptions listOptions = ListOptions.from(request.query(), type.kind());
    DeleteOptions options = DeleteOptions.from(request.query(), request.body());
    String prefix = StorageKeys.collectionPrefix(type, namespace);
    return store.list(prefix, 0).thenCompose(list -> {
      List<CompletableFuture<JsonNode>> deletions = new ArrayList<>();
      for (StoredObject stored : list.items()) {
        HasMetadata object = decode(type, stored);
        if (!listOptions.selection().matches(object)) {
          continue;
        }
        String name = object.getMetadata().getName();
        deletions.add(delete(type, object.getMetadata().getNamespace(), name, options)
            .thenApply(r -> readTree(r.body()))
            .exceptionally(e -> {
              // Gone already (deleted by someone else meanwhile): nothing left to do for it.
              if (unwrap(e) instanceof ApiException api && api.code() == 404) {
                return null;
              }
              throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }));
      }
      return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(done -> {
        ObjectNode body = ObjectCodec.JSON.createObjectNode();
        body.put("kind", type.listKind());
        body.put("apiVersion", type.apiVersion());
        body.putObject("metadata");
        ArrayNode items = body.putArray("items");
        deletions.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).forEach(items::add);
        return json(200, body);
      });
    });
  }

  private static JsonNode readTree(byte[] json) {
    try {
      return ObjectCodec.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static HasMetadata withoutVersion(HasMetadata object) {
    object.getMetadata().setResourceVersion(null);
    return object;
  }

  private CompletableFuture<HasMetadata> read(ResourceType type, ResourcePath path) {
    return store.get(StorageKeys.objectKey(type, path.namespace(), path.name()))
        .thenApply(found -> decode(type, found.orElseThrow(() -> Statuses.notFound(type, path.name()))));
  }

  /**
   * Creating in a namespace that does not exist is a NotFound for the namespace, and in
   * one being deleted a Forbidden, as Kubernetes' namespace lifecycle admission answers:
   * otherwise the namespace controller could never finish emptying it.
   */
  private CompletableFuture<Void> requireLiveNamespace(ResourceType type, String namespace, String name) {
    return store.get(StorageKeys.objectKey(namespaces, null, namespace)).thenAccept(found -> {
      StoredObject stored = found.orElseThrow(() -> Statuses.notFound(namespaces, namespace));
      if (decode(namespaces, stored).getMetadata().getDeletionTimestamp() != null) {
        throw Statuses.forbidden(type, name, "unable to create new content in namespace " + namespace
            + " because it is being terminated");
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

  private static HasMetadata decode(ResourceType type, StoredObject stored) {
    return MetadataPolicy.withResourceVersion(ObjectCodec.decodeStored(stored.value(), type), stored.modRevision());
  }

  private static ApiResponse json(int code, Object body) {
    return new ApiResponse(code, ObjectCodec.encode(body));
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
        case FENCED -> new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + Statuses.qualified(type)
            + " \"" + name + "\": " + se.getMessage(), name, type.group().isEmpty() ? null : type.group(),
            type.plural());
        case UNAVAILABLE -> Statuses.unavailable(se.getMessage());
        case COMPACTED -> Statuses.expired("The resourceVersion for the provided request is too old.");
        case FUTURE_REVISION -> new ApiException(504, "Timeout", "Too large resource version: " + se.getMessage());
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
