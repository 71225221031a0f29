package io.berth.apiserver.rest;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What a delete does to an object, as Kubernetes decides it, apart from the writes:
 * <ul>
 *   <li>an object held by finalizers is only marked (deletionTimestamp): whoever owns a
 *       finalizer removes it, and the last removal deletes the object;</li>
 *   <li>a pod bound to a node is deleted gracefully: marked with a deletionTimestamp
 *       its grace period ahead, so its agent stops the containers and then deletes it
 *       with grace 0; a pod on no node has nothing to stop and goes at once;</li>
 *   <li>a delete with propagationPolicy Foreground or Orphan adds the finalizer
 *       {@code foregroundDeletion} or {@code orphan} (whether or not the object has
 *       dependents, as Kubernetes does), so the object is held until the garbage
 *       collector has deleted or orphaned its dependents and taken the finalizer off;</li>
 *   <li>a namespace with spec.finalizers (the "kubernetes" one by default) is marked and
 *       its phase set to Terminating: the namespace controller deletes its content, then
 *       updates spec.finalizers to [], and that update removes it;</li>
 *   <li>anything else is removed now.</li>
 * </ul>
 */
final class Deletion {
  /** The outcome: remove the object, or write it back marked as being deleted. */
  sealed interface Plan {}

  record RemoveNow() implements Plan {}

  /** @param marked the object with its deletionTimestamp and deletionGracePeriodSeconds set */
  record Mark(HasMetadata marked) implements Plan {}

  /** It is already being deleted no sooner than asked: nothing changes. */
  record AlreadyDeleting() implements Plan {}

  private static final long DEFAULT_POD_GRACE_SECONDS = 30;
  static final String FOREGROUND = "foregroundDeletion";
  static final String ORPHAN = "orphan";

  private Deletion() {}

  /** @throws ApiException 409 when a precondition does not hold */
  static Plan plan(HasMetadata existing, DeleteOptions options, Clock clock, String qualifiedName) {
    ObjectMeta meta = existing.getMetadata();
    checkPreconditions(meta, options, qualifiedName);
    long grace = gracePeriod(existing, options);
    boolean finalizers = !isEmpty(meta.getFinalizers()) || hasSpecFinalizers(existing);
    if (meta.getDeletionTimestamp() != null) {
      Long current = meta.getDeletionGracePeriodSeconds();
      boolean shorter = current != null && grace < current;
      if (shorter && grace == 0 && !finalizers) {
        return new RemoveNow();
      }
      return shorter ? new Mark(marked(existing, grace, clock)) : new AlreadyDeleting();
    }
    String policyFinalizer = policyFinalizer(options);
    if (grace == 0 && !finalizers && policyFinalizer == null) {
      return new RemoveNow();
    }
    if (policyFinalizer != null) {
      meta.setFinalizers(withPolicyFinalizer(meta.getFinalizers(), policyFinalizer));
    }
    if (existing instanceof Namespace namespace) {
      namespace.setStatus(new NamespaceStatusBuilder(namespace.getStatus()).withPhase("Terminating").build());
    }
    return new Mark(marked(existing, grace, clock));
  }

  /** The finalizer a propagation policy asks the garbage collector to act on; null for Background or none. */
  private static String policyFinalizer(DeleteOptions options) {
    if ("Foreground".equals(options.propagationPolicy())) {
      return FOREGROUND;
    }
    return "Orphan".equals(options.propagationPolicy()) ? ORPHAN : null;
  }

  /** The finalizers with {@code wanted} added and the other policy's removed: one policy holds at a time. */
  private static List<String> withPolicyFinalizer(List<String> finalizers, String wanted) {
    List<String> result = new ArrayList<>(finalizers == null ? List.of() : finalizers);
    result.remove(wanted.equals(FOREGROUND) ? ORPHAN : FOREGROUND);
    if (!result.contains(wanted)) {
      result.add(wanted);
    }
    return result;
  }

  /**
   * Whether an update leaves an object that must now be removed: it was being
   * deleted, its grace period is over (0), and its last finalizer was just taken off
   * (for a namespace, the last of spec.finalizers too).
   */
  static boolean finishedBy(HasMetadata updated) {
    ObjectMeta meta = updated.getMetadata();
    return meta.getDeletionTimestamp() != null
        && isEmpty(meta.getFinalizers()) && !hasSpecFinalizers(updated)
        && (meta.getDeletionGracePeriodSeconds() == null || meta.getDeletionGracePeriodSeconds() == 0);
  }

  /** A namespace's own finalizers, which hold it while the namespace controller empties it. */
  private static boolean hasSpecFinalizers(HasMetadata object) {
    return object instanceof Namespace namespace && namespace.getSpec() != null
        && !isEmpty(namespace.getSpec().getFinalizers());
  }

  private static boolean isEmpty(List<String> list) {
    return list == null || list.isEmpty();
  }

  /** Pods bound to a node get a grace period (the option, else the pod's own, else 30 s); nothing else does. */
  private static long gracePeriod(HasMetadata object, DeleteOptions options) {
    if (!(object instanceof Pod pod) || pod.getSpec() == null || isEmpty(pod.getSpec().getNodeName())) {
      return 0;
    }
    if (options.gracePeriodSeconds() != null) {
      return options.gracePeriodSeconds();
    }
    Long own = pod.getSpec().getTerminationGracePeriodSeconds();
    return own != null ? Math.max(0, own) : DEFAULT_POD_GRACE_SECONDS;
  }

  private static HasMetadata marked(HasMetadata existing, long grace, Clock clock) {
    ObjectMeta meta = existing.getMetadata();
    meta.setDeletionTimestamp(DateTimeFormatter.ISO_INSTANT.format(
        clock.instant().plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS)));
    meta.setDeletionGracePeriodSeconds(grace);
    return existing;
  }

  private static void checkPreconditions(ObjectMeta meta, DeleteOptions options, String qualifiedName) {
    if (options.uid() != null && !options.uid().equals(meta.getUid())) {
      throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualifiedName
          + ": Precondition failed: UID in precondition: " + options.uid() + ", UID in object meta: " + meta.getUid());
    }
    if (options.resourceVersion() != null && !options.resourceVersion().equals(meta.getResourceVersion())) {
      throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualifiedName
          + ": Precondition failed: ResourceVersion in precondition: " + options.resourceVersion()
          + ", ResourceVersion in object meta: " + meta.getResourceVersion());
    }
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
