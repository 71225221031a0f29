package io.berth.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.berth.apiserver.cache.CacheList;
import io.berth.apiserver.cache.CachedObject;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.cache.WatchCaches;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.storage.ObjectStore;
import io.berth.apiserver.storage.StorageException;
import io.berth.apiserver.storage.StorageKeys;
import io.berth.apiserver.storage.StoredList;
import io.berth.apiserver.table.TablePrinter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * Lists, with the resourceVersion semantics Kubernetes defines:
 * <ul>
 *   <li>no resourceVersion: a consistent list, from the watch cache once it has
 *       caught up with the quorum (from the store if it cannot within a few seconds);</li>
 *   <li>resourceVersion=0: the cache as it is;</li>
 *   <li>resourceVersion=N: the cache once it has reached N (NotOlderThan), or the
 *       store at exactly N (resourceVersionMatch=Exact);</li>
 *   <li>limit and continue: pages read from the store, all at the first page's revision.</li>
 * </ul>
 */
final class CollectionLister {
  /** How long a list waits for the cache to catch up, as kube-apiserver's cacher waits (3 s). */
  static final Duration CACHE_WAIT = Duration.ofSeconds(3);

  private final ObjectStore store;
  private final WatchCaches caches;
  private final TablePrinter tables;

  CollectionLister(ObjectStore store, WatchCaches caches, TablePrinter tables) {
    this.store = store;
    this.caches = caches;
    this.tables = tables;
  }

  CompletableFuture<ApiResponse> list(ResourceType type, String namespace, ListOptions options, boolean asTable) {
    String prefix = StorageKeys.collectionPrefix(type, namespace);
    CompletableFuture<Page> page;
    if (options.continueToken() != null) {
      ContinueToken token = options.continueToken();
      page = fromStore(type, prefix, prefix + token.startAfterPrefix(), token.revision(), options)
          .exceptionally(e -> {
            throw compactedAs(e, Statuses.continueExpired());
          });
    } else if (options.exact()) {
      long wanted = options.revision().getAsLong();
      page = fromStore(type, prefix, null, wanted, options).exceptionally(e -> {
        Throwable cause = unwrap(e);
        if (cause instanceof StorageException se && se.reason() == StorageException.Reason.FUTURE_REVISION) {
          throw Statuses.tooLargeResourceVersion(wanted, caches.of(type).revision());
        }
        throw compactedAs(cause, Statuses.expired("The resourceVersion for the provided list is too old."));
      });
    } else if (options.limit() > 0 && !options.anyVersion()) {
      page = fromStore(type, prefix, null, 0, options);
    } else {
      page = fromCache(type, prefix, options);
    }
    return page.thenApply(p -> respond(type, p, asTable));
  }

  private CompletableFuture<Page> fromCache(ResourceType type, String prefix, ListOptions options) {
    WatchCache cache = caches.of(type);
    CompletableFuture<CacheList> list;
    if (options.anyVersion()) {
      list = cache.waitUntil(1, CACHE_WAIT).thenApply(ok -> cache.list(prefix));
    } else if (options.revision().isPresent()) {
      long wanted = options.revision().getAsLong();
      list = cache.waitUntil(wanted, CACHE_WAIT).thenApply(ok -> cache.list(prefix)).exceptionally(e -> {
        if (unwrap(e) instanceof TimeoutException) {
          throw Statuses.tooLargeResourceVersion(wanted, cache.revision());
        }
        throw new CompletionException(unwrap(e));
      });
    } else {
      // A consistent list: if this replica's cache cannot catch up in time, the store can answer.
      return cache.consistentList(prefix, CACHE_WAIT)
          .thenApply(l -> filter(l.items(), l.revision(), options))
          .exceptionallyCompose(e -> unwrap(e) instanceof TimeoutException
              ? fromStore(type, prefix, null, 0, options)
              : CompletableFuture.failedFuture(unwrap(e)));
    }
    return list.thenApply(l -> filter(l.items(), l.revision(), options));
  }

  private static Page filter(List<CachedObject> objects, long revision, ListOptions options) {
    List<CachedObject> selected = new ArrayList<>();
    for (CachedObject o : objects) {
      if (options.selection().matches(o.object())) {
        selected.add(o);
      }
    }
    return new Page(selected, revision, null, -1);
  }

  /**
   * Reads pages from the store until {@code limit} objects pass the selectors or the
   * collection ends, all at one revision (the first read's, when none is given).
   */
  private CompletableFuture<Page> fromStore(ResourceType type, String prefix, String fromKey, long revision,
      ListOptions options) {
    return fill(type, prefix, fromKey, revision, options, new ArrayList<>());
  }

  private CompletableFuture<Page> fill(ResourceType type, String prefix, String fromKey, long revision,
      ListOptions options, List<CachedObject> selected) {
    int limit = options.limit();
    return store.list(prefix, fromKey, revision, limit).thenCompose(read -> {
      for (var stored : read.items()) {
        CachedObject object = CachedObject.of(type, stored);
        if (options.selection().matches(object.object())) {
          selected.add(object);
        }
        if (limit > 0 && selected.size() == limit) {
          boolean moreAfter = stored != read.items().get(read.items().size() - 1) || read.more();
          return CompletableFuture.completedFuture(page(prefix, selected, read, moreAfter, options));
        }
      }
      if (limit > 0 && read.more()) {
        String next = read.items().get(read.items().size() - 1).key() + "\0";
        return fill(type, prefix, next, read.revision(), options, selected);
      }
      return CompletableFuture.completedFuture(new Page(selected, read.revision(), null, -1));
    });
  }

  private static Page page(String prefix, List<CachedObject> selected, StoredList read, boolean moreAfter,
      ListOptions options) {
    if (!moreAfter) {
      return new Page(selected, read.revision(), null, -1);
    }
    String lastKey = selected.get(selected.size() - 1).key();
    String token = new ContinueToken(read.revision(), lastKey.substring(prefix.length()) + "\0").encode();
    // Kubernetes counts what is left only when it can do so without selectors.
    long remaining = options.selection().isEverything() ? remainingAfter(read, lastKey) : -1;
    return new Page(selected, read.revision(), token, remaining);
  }

  private static long remainingAfter(StoredList read, String lastKey) {
    long inPageAfterLast = read.items().stream().filter(o -> o.key().compareTo(lastKey) > 0).count();
    return inPageAfterLast + read.remaining();
  }

  private ApiResponse respond(ResourceType type, Page page, boolean asTable) {
    ObjectNode metadata = ObjectCodec.JSON.createObjectNode();
    metadata.put("resourceVersion", Long.toString(page.revision()));
    if (page.continueToken() != null) {
      metadata.put("continue", page.continueToken());
      if (page.remaining() >= 0) {
        metadata.put("remainingItemCount", page.remaining());
      }
    }
    if (asTable) {
      List<JsonNode> items = new ArrayList<>(page.items().size());
      page.items().forEach(o -> items.add(o.tree()));
      return new ApiResponse(200, ObjectCodec.encode(tables.table(type.kind(), items, metadata)));
    }
    ObjectNode body = ObjectCodec.JSON.createObjectNode();
    body.put("kind", type.listKind());
    body.put("apiVersion", type.apiVersion());
    body.set("metadata", metadata);
    ArrayNode items = body.putArray("items");
    // Each item's JSON is already encoded (and shared with watchers): copy it in as is.
    page.items().forEach(o -> items.addRawValue(new RawValue(new String(o.json(), StandardCharsets.UTF_8))));
    return new ApiResponse(200, ObjectCodec.encode(body));
  }

  private static RuntimeException compactedAs(Throwable e, ApiException whenCompacted) {
    Throwable cause = unwrap(e);
    if (cause instanceof StorageException se && se.reason() == StorageException.Reason.COMPACTED) {
      return whenCompacted;
    }
    return cause instanceof RuntimeException re ? re : new CompletionException(cause);
  }

  static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** @param remaining objects after the page, or -1 when not known */
  private record Page(List<CachedObject> items, long revision, String continueToken, long remaining) {}
}
