package io.berth.controllers;

import io.berth.client.Client;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.client.events.EventRecorder;
import io.berth.controllers.queue.WorkQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What one controller gets for one leadership term: the client to write through (it
 * carries the term's fencing token), its own work queue, an event recorder, the clock,
 * and subscriptions to shared informers that end with the term.
 */
public final class ControllerContext {
  private final Client client;
  private final WorkQueue queue;
  private final EventRecorder events;
  private final Clock clock;
  private final List<Runnable> unsubscribes = new ArrayList<>();

  ControllerContext(Client client, WorkQueue queue, EventRecorder events, Clock clock) {
    this.client = client;
    this.queue = queue;
    this.events = events;
    this.clock = clock;
  }

  /** The client for every write of this term. Reads come from the informer caches. */
  public Client client() {
    return client;
  }

  public WorkQueue queue() {
    return queue;
  }

  public EventRecorder events() {
    return events;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Subscribes {@code handler} to {@code informer} until the term ends. The handler is
   * told about every cached object at once (as adds), then about changes.
   */
  public synchronized <T extends HasMetadata> void subscribe(SharedInformer<T> informer,
      ResourceEventHandler<T> handler) {
    informer.addListener(handler);
    unsubscribes.add(() -> informer.removeListener(handler));
  }

  synchronized void unsubscribeAll() {
    unsubscribes.forEach(Runnable::run);
    unsubscribes.clear();
  }
}
