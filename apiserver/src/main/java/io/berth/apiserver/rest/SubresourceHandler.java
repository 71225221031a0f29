package io.berth.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.patch.PatchRequest;
import io.berth.apiserver.patch.PatchSchemas;
import io.berth.apiserver.patch.PatchType;
import io.berth.apiserver.patch.Patches;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.storage.ObjectStore;
import io.berth.apiserver.storage.StorageException;
import io.berth.apiserver.storage.StorageKeys;
import io.berth.apiserver.storage.StoredObject;
import io.berth.apiserver.validation.Validation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The subresources: status and scale (a part of an object read and written on its
 * own, {@link SubresourceView}), pods/binding (the scheduler's write), pods/eviction
 * (a delete that would respect disruption budgets) and pods/log (proxied to the node's agent, {@link PodLogProxy}).
 */
final class SubresourceHandler {
  /** How many times a patch or binding that lost a race to another writer is tried again. */
  private static final int MAX_ATTEMPTS = 5;

  /** Deletes an object as a DELETE would: evictions are deletes. */
  interface Deleter {
    CompletableFuture<ApiResponse> delete(ResourceType type, String namespace, String name, DeleteOptions options);
  }

  private final ObjectStore store;
  private final MetadataPolicy metadata;
  private final Deleter deleter;
  private final PodLogProxy logs;

  SubresourceHandler(ObjectStore store, MetadataPolicy metadata, Deleter deleter, AgentConnections agents) {
    this.store = store;
    this.logs = new PodLogProxy(store, agents);
    this.metadata = metadata;
    this.deleter = deleter;
  }

  CompletableFuture<ApiResponse> handle(ApiRequest request, ResourceType type, ResourcePath path, String verb) {
    String sub = path.subresource();
    if (type.subresource(sub).isEmpty()) {
      throw Statuses.pathNotFound();
    }
    return switch (sub) {
      case "status", "scale" -> {
        SubresourceView view = sub.equals("status") ? SubresourceView.STATUS : SubresourceView.SCALE;
        yield switch (verb) {
          case "get" -> read(type, path).thenApply(o -> json(200, view.read(o)));
          case "update" -> write(type, path, view, request, null, 1);
          case "patch" -> write(type, path, view, request, RequestBodies.patchType(request.contentType()), 1);
          default -> throw Statuses.methodNotSupported(type, verb);
        };
      }
      case "binding" -> requireVerb(type, verb, "create", () -> bind(type, path, readBody(request), 1));
      case "eviction" -> requireVerb(type, verb, "create", () -> evict(type, path, readBody(request)));
      case "log" -> requireVerb(type, verb, "get", () -> read(type, path)
          .thenCompose(pod -> logs.logs(request, (Pod) pod)));
      default -> throw Statuses.pathNotFound();
    };
  }

  /**
   * Writes the subresource: the client's part (the body, or the patch applied to the
   * current part) put into the stored object, conditioned on the version it was read
   * at. Like a patch of the whole object, a lost race is tried again unless the
   * client pinned a resourceVersion.
   */
  private CompletableFuture<ApiResponse> write(ResourceType type, ResourcePath path, SubresourceView view,
      ApiRequest request, PatchType patchType, int attempt) {
    String key = StorageKeys.objectKey(type, path.namespace(), path.name());
    boolean[] pinned = {false};
    return store.get(key).thenCompose(found -> {
      StoredObject stored = found.orElseThrow(() -> Statuses.notFound(type, path.name()));
      HasMetadata existing = decode(type, stored);
      JsonNode written = patchType == null ? readBody(request)
          : Patches.apply(new PatchRequest(request.contentType(), view.read(existing), request.body(),
              view.apiVersion(type), view.kind(type), PatchSchemas.forKind(view.apiVersion(type), view.kind(type)),
              FieldManagers.of(request, patchType), FieldManagers.isForce(request), metadata.clock()));
      String rv = written.at("/metadata/resourceVersion").asText("");
      long expected = rv.isEmpty() ? stored.modRevision() : parseRevision(rv);
      pinned[0] = patchType == null ? !rv.isEmpty() : expected != stored.modRevision();
      ObjectNode merged = view.write((ObjectNode) ObjectCodec.toTree(existing), written);
      HasMetadata object = ObjectCodec.decodeBody(ObjectCodec.encode(merged), type);
      metadata.prepareUpdate(object, existing, type, path.namespace(), path.name());
      GenerationPolicy.onUpdate(object, existing);
      Validation.validateUpdate(type, object, existing);
      return store.update(key, ObjectCodec.encode(object), expected).thenApply(w ->
          json(200, view.read(MetadataPolicy.withResourceVersion(object, w.modRevision()))));
    }).exceptionallyCompose(e -> lostRace(e) && !pinned[0] && attempt < MAX_ATTEMPTS
        ? write(type, path, view, request, patchType, attempt + 1)
        : CompletableFuture.failedFuture(e));
  }

  /**
   * Binds a pod to a node, once: the write is conditioned on the version in which the
   * pod was seen unbound, so of two schedulers binding at once one wins and the other
   * is told the pod is already assigned, whichever replica each went through.
   */
  private CompletableFuture<ApiResponse> bind(ResourceType type, ResourcePath path, JsonNode binding, int attempt) {
    String node = binding.at("/target/name").asText("");
    if (node.isEmpty()) {
      throw Statuses.invalid(type, path.name(), "target.name: Required value: a binding names the node");
    }
    String bindingName = binding.at("/metadata/name").asText(path.name());
    if (!bindingName.equals(path.name())) {
      throw Statuses.badRequest("the name of the binding (" + bindingName + ") does not match the pod's ("
          + path.name() + ")");
    }
    String key = StorageKeys.objectKey(type, path.namespace(), path.name());
    return store.get(key).thenCompose(found -> {
      StoredObject stored = found.orElseThrow(() -> Statuses.notFound(type, path.name()));
      Pod pod = (Pod) ObjectCodec.decodeStored(stored.value(), type);
      String qualified = "pods/binding \"" + path.name() + "\"";
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified + ": pod "
            + path.name() + " is being deleted, cannot be assigned to a host");
      }
      // A binding that names a uid is for that pod only, not one deleted and created again
      // under the same name since the scheduler looked (kube-apiserver checks the same).
      String uid = binding.at("/metadata/uid").asText("");
      if (!uid.isEmpty() && !uid.equals(pod.getMetadata().getUid())) {
        throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified
            + ": Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
            + pod.getMetadata().getUid());
      }
      String current = pod.getSpec().getNodeName();
      if (current != null && !current.isEmpty()) {
        throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified + ": pod "
            + path.name() + " is already assigned to node \"" + current + "\"");
      }
      pod.getSpec().setNodeName(node);
      markScheduled(pod);
      return store.update(key, ObjectCodec.encode(pod), stored.modRevision());
    }).thenApply(written -> success(201)).exceptionallyCompose(e -> lostRace(e) && attempt < MAX_ATTEMPTS
        ? bind(type, path, binding, attempt + 1)
        : CompletableFuture.failedFuture(e));
  }

  private void markScheduled(Pod pod) {
    if (pod.getStatus() == null) {
      pod.setStatus(new PodStatus());
    }
    List<PodCondition> conditions = new ArrayList<>(pod.getStatus().getConditions() == null ? List.of()
        : pod.getStatus().getConditions());
    conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
    PodCondition scheduled = new PodCondition();
    scheduled.setType("PodScheduled");
    scheduled.setStatus("True");
    scheduled.setLastTransitionTime(DateTimeFormatter.ISO_INSTANT.format(
        metadata.clock().instant().truncatedTo(ChronoUnit.SECONDS)));
    conditions.add(scheduled);
    pod.getStatus().setConditions(conditions);
  }

  /**
   * An eviction is a delete with the eviction's options. Berth serves no
   * PodDisruptionBudgets yet, so no budget can refuse it.
   */
  private CompletableFuture<ApiResponse> evict(ResourceType type, ResourcePath path, JsonNode eviction) {
    JsonNode options = eviction.path("deleteOptions");
    DeleteOptions deleteOptions = options.isObject()
        ? DeleteOptions.from(java.util.Map.of(), ObjectCodec.encode(options)) : DeleteOptions.none();
    return deleter.delete(type, path.namespace(), path.name(), deleteOptions).thenApply(deleted -> success(201));
  }

  private CompletableFuture<HasMetadata> read(ResourceType type, ResourcePath path) {
    return store.get(StorageKeys.objectKey(type, path.namespace(), path.name()))
        .thenApply(found -> decode(type, found.orElseThrow(() -> Statuses.notFound(type, path.name()))));
  }

  private static CompletableFuture<ApiResponse> requireVerb(ResourceType type, String verb, String expected,
      java.util.function.Supplier<CompletableFuture<ApiResponse>> action) {
    if (!expected.equals(verb)) {
      throw Statuses.methodNotSupported(type, verb);
    }
    return action.get();
  }

  private static JsonNode readBody(ApiRequest request) {
    byte[] json = RequestBodies.asJson(request.contentType(), request.body());
    try {
      JsonNode body = ObjectCodec.JSON.readTree(json);
      if (body == null || !body.isObject()) {
        throw Statuses.badRequest("the body of the request must be a JSON object");
      }
      return body;
    } catch (IOException e) {
      throw Statuses.badRequest("the body of the request could not be decoded as JSON: " + e.getMessage());
    }
  }

  private static long parseRevision(String rv) {
    try {
      return Long.parseLong(rv);
    } catch (NumberFormatException e) {
      throw Statuses.badRequest("invalid resourceVersion \"" + rv + "\"");
    }
  }

  private static boolean lostRace(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof StorageException se && se.reason() == StorageException.Reason.REVISION_CONFLICT;
  }

  private static HasMetadata decode(ResourceType type, StoredObject stored) {
    return MetadataPolicy.withResourceVersion(ObjectCodec.decodeStored(stored.value(), type), stored.modRevision());
  }

  /** A Status of success, as kube-apiserver answers a binding or an eviction. */
  private static ApiResponse success(int code) {
    ObjectNode status = ObjectCodec.JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success");
    status.put("code", code);
    return new ApiResponse(code, ObjectCodec.encode(status));
  }

  private static ApiResponse json(int code, Object body) {
    return new ApiResponse(code, ObjectCodec.encode(body));
  }
}
