package io.berth.client.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What an informer tells about changes to its objects. All calls of one informer come
 * from its one dispatch thread, in the order the changes happened; the cache already
 * holds the new state when a call is made. A handler should be quick (enqueue a key for
 * a worker, as Kubernetes controllers do): while it runs, later events wait.
 *
 * <p>The objects are the cache's own: never modify them; copy one (e.g. with its
 * fabric8 builder, {@code new PodBuilder(pod)}) to change it.
 */
public interface ResourceEventHandler<T extends HasMetadata> {

  /** An object appeared (also: every object of the first list). */
  default void onAdd(T object) {}

  /**
   * An object changed, from {@code oldObject} to {@code newObject}. On a periodic resync
   * both are the same object.
   */
  default void onUpdate(T oldObject, T newObject) {}

  /**
   * An object is gone. {@code lastKnown} is its final state from the watch, or, when the
   * deletion was learnt from a relist (the watch had fallen too far behind), the last
   * state this informer saw, which may be older than its final one.
   */
  default void onDelete(T lastKnown) {}
}
