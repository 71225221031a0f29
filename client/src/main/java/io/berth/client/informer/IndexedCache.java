package io.berth.client.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer's copy of the objects it watches, by key ({@link ObjectKeys}) and by any
 * number of indexes. An index maps an object to the values it is found under (for
 * example pods by spec.nodeName); {@link #byIndex} answers which objects have a value.
 * The index "namespace" is always there.
 *
 * <p>Thread-safe: any thread may read while the informer's dispatch thread writes. The
 * objects handed out are the cached ones themselves, shared by every reader: never
 * modify them (copy first).
 */
public final class IndexedCache<T extends HasMetadata> {
  private static final Logger log = LoggerFactory.getLogger(IndexedCache.class);
  public static final String NAMESPACE_INDEX = "namespace";

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, T> items = new LinkedHashMap<>();
  private final Map<String, Function<T, List<String>>> indexers;
  /** index name -> indexed value -> keys of the objects with that value. */
  private final Map<String, Map<String, Set<String>>> indices = new HashMap<>();

  IndexedCache(Map<String, Function<T, List<String>>> indexers) {
    Map<String, Function<T, List<String>>> all = new LinkedHashMap<>(indexers);
    all.put(NAMESPACE_INDEX, object -> {
      String namespace = object.getMetadata().getNamespace();
      return namespace == null ? List.of() : List.of(namespace);
    });
    this.indexers = Map.copyOf(all);
    this.indexers.keySet().forEach(name -> indices.put(name, new HashMap<>()));
  }

  public Optional<T> get(String namespace, String name) {
    return getByKey(ObjectKeys.key(namespace, name));
  }

  public Optional<T> getByKey(String key) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(items.get(key));
    } finally {
      lock.readLock().unlock();
    }
  }

  public List<T> list() {
    lock.readLock().lock();
    try {
      return List.copyOf(items.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  public List<String> keys() {
    lock.readLock().lock();
    try {
      return List.copyOf(items.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The objects the index {@code indexName} maps to {@code value}. */
  public List<T> byIndex(String indexName, String value) {
    lock.readLock().lock();
    try {
      Map<String, Set<String>> index = indices.get(indexName);
      if (index == null) {
        throw new IllegalArgumentException("no index " + indexName + "; the informer has " + indices.keySet());
      }
      List<T> found = new ArrayList<>();
      for (String key : index.getOrDefault(value, Set.of())) {
        found.add(items.get(key));
      }
      return found;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Stores {@code object}; returns the one it replaced, or null. */
  T put(T object) {
    String key = ObjectKeys.key(object);
    lock.writeLock().lock();
    try {
      T old = items.put(key, object);
      unindex(key, old);
      index(key, object);
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes the object with {@code key}; returns it, or null. */
  T remove(String key) {
    lock.writeLock().lock();
    try {
      T old = items.remove(key);
      unindex(key, old);
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Makes {@code objects} the whole content; returns the previous content by key. */
  Map<String, T> replace(Collection<T> objects) {
    lock.writeLock().lock();
    try {
      Map<String, T> previous = new LinkedHashMap<>(items);
      items.clear();
      indices.values().forEach(Map::clear);
      for (T object : objects) {
        String key = ObjectKeys.key(object);
        items.put(key, object);
        index(key, object);
      }
      return previous;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void index(String key, T object) {
    for (Map.Entry<String, Function<T, List<String>>> indexer : indexers.entrySet()) {
      for (String value : valuesOf(indexer.getValue(), object)) {
        indices.get(indexer.getKey()).computeIfAbsent(value, v -> new HashSet<>()).add(key);
      }
    }
  }

  private void unindex(String key, T object) {
    if (object == null) {
      return;
    }
    for (Map.Entry<String, Function<T, List<String>>> indexer : indexers.entrySet()) {
      Map<String, Set<String>> index = indices.get(indexer.getKey());
      for (String value : valuesOf(indexer.getValue(), object)) {
        Set<String> keys = index.get(value);
        if (keys != null && keys.remove(key) && keys.isEmpty()) {
          index.remove(value);
        }
      }
    }
  }

  /**
   * An indexer's values. Null means none, so an indexer may return null for "not indexed";
   * an indexer that throws indexes the object under nothing (and is logged) rather than
   * leaving the cache half updated.
   */
  private static <T extends HasMetadata> List<String> valuesOf(Function<T, List<String>> indexer, T object) {
    List<String> values;
    try {
      values = indexer.apply(object);
    } catch (RuntimeException e) {
      log.warn("an indexer failed on {}; the object is left out of that index", ObjectKeys.key(object), e);
      return List.of();
    }
    return values == null ? List.of() : values.stream().filter(v -> v != null).toList();
  }
}
