package io.berth.client.events;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.PatchType;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes v1 Events through the API, on one background thread, correlated by
 * {@link EventCorrelator}: a repeat is a merge patch of count, lastTimestamp and message
 * on the event already written; anything else is a new event named
 * {@code <object>.<hex>} in the object's namespace (default for cluster-scoped objects).
 */
public final class ApiEventRecorder implements EventRecorder {
  private static final Logger log = LoggerFactory.getLogger(ApiEventRecorder.class);
  private static final int BACKLOG = 1000;

  private final ResourceClient<Event> events;
  private final String component;
  private final Clock clock;
  private final EventCorrelator correlator = new EventCorrelator();
  private final java.util.concurrent.atomic.AtomicLong uniqueNanos = new java.util.concurrent.atomic.AtomicLong();
  private final ThreadPoolExecutor writer;

  /** @param component the source of the events (e.g. "replicaset-controller"), shown by kubectl */
  public ApiEventRecorder(Client client, String component, Clock clock) {
    this.events = client.resource(Resource.EVENT);
    this.component = component;
    this.clock = clock;
    this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKLOG),
        Thread.ofPlatform().name(component + "-events").daemon().factory(), new ThreadPoolExecutor.AbortPolicy());
  }

  @Override
  public void event(HasMetadata object, String type, String reason, String message) {
    // The reference is taken now: the object may be a cached one that changes later.
    ObjectReference involved = referenceTo(object);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    try {
      writer.execute(() -> write(involved, type, reason, message, now));
    } catch (RejectedExecutionException e) {
      dropped(involved, reason, message);
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }

  // Events are best effort, as in Kubernetes: a burst (10,000 pods scheduled at once) may fill
  // the backlog, and one log line per dropped event would flood the log; one per 10 s says it.
  private final java.util.concurrent.atomic.AtomicLong droppedSinceLog = new java.util.concurrent.atomic.AtomicLong();
  private volatile long lastDropLogNanos = System.nanoTime() - 20_000_000_000L;

  private void dropped(ObjectReference involved, String reason, String message) {
    long count = droppedSinceLog.incrementAndGet();
    long now = System.nanoTime();
    if (now - lastDropLogNanos >= 10_000_000_000L) {
      lastDropLogNanos = now;
      droppedSinceLog.addAndGet(-count);
      log.warn("{} event(s) dropped (backlog of {} full, or recorder closed), e.g. {} {} {}: {}", count, BACKLOG,
          involved.getKind(), involved.getName(), reason, message);
    }
  }

  private void write(ObjectReference involved, String type, String reason, String message, Instant now) {
    try {
      switch (correlator.observe(involved, type, reason, message, now)) {
        case EventCorrelator.Create create -> create(create, involved, type, reason, now);
        case EventCorrelator.Repeat repeat -> repeat(repeat, involved, type, reason, now);
      }
    } catch (RuntimeException e) {
      log.warn("event not written: {} {} {}: {} ({})", involved.getKind(), involved.getName(), reason, message,
          e.toString());
    }
  }

  private void create(EventCorrelator.Create create, ObjectReference involved, String type, String reason,
      Instant now) {
    String namespace = involved.getNamespace() == null ? "default" : involved.getNamespace();
    // As Kubernetes names them: the object's name and a time in hex (made unique per recorder).
    String name = involved.getName() + "." + Long.toHexString(uniqueNanos.updateAndGet(
        last -> Math.max(last + 1, clock.millis() * 1_000_000)));
    Event event = new EventBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withInvolvedObject(involved)
        .withType(type).withReason(reason).withMessage(create.message())
        .withNewSource().withComponent(component).endSource()
        .withReportingComponent(component)
        .withFirstTimestamp(timestamp(now)).withLastTimestamp(timestamp(now)).withCount(1)
        .build();
    events.create(event);
    correlator.created(create, namespace, name, now);
  }

  private void repeat(EventCorrelator.Repeat repeat, ObjectReference involved, String type, String reason,
      Instant now) {
    String patch = "{\"count\":" + repeat.count() + ",\"lastTimestamp\":\"" + timestamp(now)
        + "\",\"message\":" + quoted(repeat.message()) + "}";
    try {
      events.inNamespace(repeat.namespace()).patch(repeat.name(), PatchType.MERGE, patch);
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
      // Deleted meanwhile (expired): start a new one.
      correlator.forget(repeat.namespace(), repeat.name());
      write(involved, type, reason, repeat.message(), now);
    }
  }

  static ObjectReference referenceTo(HasMetadata object) {
    return new ObjectReferenceBuilder()
        .withApiVersion(object.getApiVersion())
        .withKind(object.getKind())
        .withNamespace(object.getMetadata().getNamespace())
        .withName(object.getMetadata().getName())
        .withUid(object.getMetadata().getUid())
        .withResourceVersion(object.getMetadata().getResourceVersion())
        .build();
  }

  private static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  private static String quoted(String text) {
    try {
      return io.berth.client.transport.Json.MAPPER.writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
