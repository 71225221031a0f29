package io.berth.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.client.transport.Exchange;
import io.berth.client.transport.HttpCall;
import io.berth.client.transport.Json;
import io.berth.client.watch.WatchStream;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed calls for one kind, in one namespace or across all of them (or cluster-wide for
 * cluster-scoped kinds). Immutable and thread-safe: {@link #inNamespace} and
 * {@link #withHeader} return new views sharing the same connections.
 *
 * <p>For calls that take an object, its metadata.namespace is used, or the view's
 * namespace when the object has none; a view in one namespace refuses an object of another.
 *
 * <p>Errors: an answer with a Status is thrown as {@link ApiException}; no answer at all
 * from any endpoint before the call's deadline is thrown as {@link UncheckedIOException}.
 */
public final class ResourceClient<T extends HasMetadata> {
  private static final Logger log = LoggerFactory.getLogger(ResourceClient.class);
  private static final String JSON = "application/json";

  private final ClientContext context;
  private final Resource<T> resource;
  private final String namespace;
  private final Map<String, String> headers;

  ResourceClient(ClientContext context, Resource<T> resource, String namespace, Map<String, String> headers) {
    this.context = context;
    this.resource = resource;
    this.namespace = namespace;
    this.headers = Map.copyOf(headers);
  }

  public Resource<T> resource() {
    return resource;
  }

  /** The namespace of this view, or null for all namespaces (or a cluster-scoped kind). */
  public String namespace() {
    return namespace;
  }

  /** This kind in one namespace. */
  public ResourceClient<T> inNamespace(String name) {
    if (!resource.namespaced()) {
      throw new IllegalArgumentException(resource.kind() + " is not namespaced");
    }
    return new ResourceClient<>(context, resource, name, headers);
  }

  /** The same calls, each carrying this extra header (e.g. X-Berth-Fencing-Token). */
  public ResourceClient<T> withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new ResourceClient<>(context, resource, namespace, more);
  }

  /** The object, or empty when it does not exist. */
  public Optional<T> get(String name) {
    try {
      return Optional.of(call(HttpCall.get(resource.objectPath(namespace, name), headers)));
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Every object of the view. */
  public ListResult<T> list() {
    return list(ListOptions.ALL);
  }

  /**
   * Every object matching {@code options}, fetching page after page when a limit is set.
   * If the server forgets the continue token between pages (410), the list starts over
   * in one page, since a list joined from two versions would not be one version.
   */
  public ListResult<T> list(ListOptions options) {
    List<T> items = new ArrayList<>();
    KubernetesResourceList<T> page = page(options, null);
    String version = page.getMetadata() == null ? null : page.getMetadata().getResourceVersion();
    items.addAll(page.getItems());
    String next = continueToken(page);
    while (next != null) {
      try {
        page = page(options, next);
      } catch (ApiException e) {
        if (!e.isGone()) {
          throw e;
        }
        log.info("continue token of a {} list expired; listing again in one page", resource.kind());
        return list(options.withLimit(0));
      }
      items.addAll(page.getItems());
      next = continueToken(page);
    }
    return new ListResult<>(List.copyOf(items), version);
  }

  public T create(T object) {
    String ns = namespaceOf(object);
    return call(new HttpCall("POST", resource.collectionPath(ns), ClientContext.encode(object), JSON, false, headers));
  }

  /** Replaces the object; with metadata.resourceVersion set, only if it is still that version (else 409). */
  public T update(T object) {
    return call(new HttpCall("PUT", objectPath(object), ClientContext.encode(object), JSON, true, headers));
  }

  /** Replaces the object's status (PUT .../status); the rest of the object is ignored by the server. */
  public T updateStatus(T object) {
    return call(new HttpCall("PUT", objectPath(object) + "/status", ClientContext.encode(object), JSON, true, headers));
  }

  public T patch(String name, PatchType type, String patch) {
    return patch(name, type, patch, PatchOptions.NONE);
  }

  public T patch(String name, PatchType type, String patch, PatchOptions options) {
    return patchPath(resource.objectPath(namespace, name), type, patch, options);
  }

  /** Patches the status subresource (PATCH .../status), as a node agent reports pod and node status. */
  public T patchStatus(String name, PatchType type, String patch) {
    return patchPath(resource.objectPath(namespace, name) + "/status", type, patch, PatchOptions.NONE);
  }

  /** Server-side apply of {@code object} (its whole intent) as {@code fieldManager}. */
  public T apply(T object, String fieldManager, boolean force) {
    return patchPath(objectPath(object), PatchType.APPLY, new String(ClientContext.encode(object), UTF_8),
        new PatchOptions(fieldManager, force));
  }

  public void delete(String name) {
    delete(name, new DeleteOptions());
  }

  /**
   * Deletes with gracePeriodSeconds, propagationPolicy and preconditions (uid,
   * resourceVersion; a failed one is a 409) from {@code options}, sent as the body as
   * kubectl sends it.
   *
   * @throws ApiException 404 when the object does not exist
   */
  public void delete(String name, DeleteOptions options) {
    options.setApiVersion("v1");
    options.setKind("DeleteOptions");
    try (Exchange answer = context.transport().send(new HttpCall("DELETE", resource.objectPath(namespace, name),
        ClientContext.encode(options), JSON, true, headers))) {
      byte[] body = answer.readBody();
      if (!answer.successful()) {
        throw ApiException.fromAnswer(answer.status(), body);
      }
    }
  }

  /**
   * Opens a watch on the view. {@code options.resourceVersion} says where events start
   * (after that version; null: the current state first, as ADDED events); bookmarks
   * are asked for. The server ends the stream after {@code timeout}.
   *
   * @throws ApiException 410 when the version is already too old to watch from
   */
  public WatchStream<T> watch(ListOptions options, Duration timeout) {
    String query = new QueryString().add("watch", "true").add("resourceVersion", options.resourceVersion())
        .add("allowWatchBookmarks", "true").add("timeoutSeconds", Math.max(1, timeout.toSeconds()))
        .add("labelSelector", options.labelSelector()).add("fieldSelector", options.fieldSelector()).toString();
    Exchange answer = context.transport().send(HttpCall.get(resource.collectionPath(namespace) + query, headers));
    if (!answer.successful()) {
      throw ApiException.fromAnswer(answer.status(), answer.readBody());
    }
    return new WatchStream<>(answer, resource.type(), context.transport(), context.timers(),
        timeout.plus(context.watchStallGrace()));
  }

  private KubernetesResourceList<T> page(ListOptions options, String continueToken) {
    QueryString query = new QueryString().add("labelSelector", options.labelSelector())
        .add("fieldSelector", options.fieldSelector()).add("limit", options.limit() > 0 ? options.limit() : null);
    // A continue token already pins the version; the API refuses both together.
    query = continueToken == null ? query.add("resourceVersion", options.resourceVersion())
        : query.add("continue", continueToken);
    ObjectNode tree = context.call(HttpCall.get(resource.collectionPath(namespace) + query, headers), ObjectNode.class);
    // kube-apiserver leaves kind and apiVersion out of list items; set them so that every
    // object handed out says what it is, as a get's answer does.
    for (JsonNode item : tree.path("items")) {
      if (item instanceof ObjectNode object) {
        object.put("kind", resource.kind());
        object.put("apiVersion", resource.apiVersion());
      }
    }
    try {
      return Json.MAPPER.treeToValue(tree, resource.listType());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("a " + resource.kind() + " list could not be decoded: " + e.getMessage(), e);
    }
  }

  private static String continueToken(KubernetesResourceList<?> page) {
    String token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    return token == null || token.isEmpty() ? null : token;
  }

  private T patchPath(String path, PatchType type, String patch, PatchOptions options) {
    String query = new QueryString().add("fieldManager", options.fieldManager())
        .add("force", options.force() ? "true" : null).toString();
    return call(new HttpCall("PATCH", path + query, patch.getBytes(UTF_8),
        type.contentType(), type.idempotent(), headers));
  }

  private T call(HttpCall call) {
    return context.call(call, resource.type());
  }

  private String objectPath(T object) {
    return resource.objectPath(namespaceOf(object), object.getMetadata() == null ? null
        : object.getMetadata().getName());
  }

  private String namespaceOf(T object) {
    if (!resource.namespaced()) {
      return null;
    }
    String own = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
    if (own != null && namespace != null && !own.equals(namespace)) {
      throw new IllegalArgumentException(resource.kind() + " in namespace " + own + " given to a client of namespace "
          + namespace);
    }
    return own != null ? own : namespace;
  }
}
