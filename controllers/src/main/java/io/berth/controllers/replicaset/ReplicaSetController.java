package io.berth.controllers.replicaset;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.IndexedCache;
import io.berth.client.informer.ObjectKeys;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.Controller;
import io.berth.controllers.ControllerContext;
import io.berth.controllers.Reconciler;
import io.berth.controllers.Result;
import io.berth.controllers.SharedInformer;
import io.berth.controllers.SharedInformers;
import io.berth.client.events.EventRecorder;
import io.berth.controllers.workload.Claims;
import io.berth.controllers.workload.Expectations;
import io.berth.controllers.workload.OwnerWrites;
import io.berth.controllers.workload.OwnerRefs;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the number of pods of each ReplicaSet at spec.replicas.
 *
 * <pre>
 * reconcile(rs):
 *   read the ReplicaSet and its namespace's pods from the caches
 *   plan = ReplicaSetDecision.plan(rs, pods, expectations satisfied?, now)   // pure
 *   adopt matching orphans, release owned pods that stopped matching
 *   create the missing pods in doubling batches (stop at the first failure), or
 *   delete the surplus, least valuable first  -- expecting to see each in the cache
 *   write status if it changed
 * </pre>
 */
public final class ReplicaSetController implements Controller {
  private final SharedInformer<ReplicaSet> replicaSets;
  private final SharedInformer<Pod> pods;

  public ReplicaSetController(SharedInformers informers) {
    this.replicaSets = informers.forResource(Resource.REPLICA_SET);
    this.pods = informers.forResource(Resource.POD)
        .index(OwnerRefs.CONTROLLER_UID_INDEX, OwnerRefs::controllerUid);
  }

  @Override
  public String name() {
    return "replicaset";
  }

  @Override
  public Reconciler start(ControllerContext context) {
    Term term = new Term(context);
    context.subscribe(replicaSets, term.replicaSetEvents());
    context.subscribe(pods, term.podEvents());
    return term::reconcile;
  }

  /** One leadership term: its expectations start empty. */
  private final class Term {
    private final ControllerContext context;
    private final Client client;
    private final EventRecorder events;
    private final Expectations expectations = Expectations.withDefaultTtl();

    Term(ControllerContext context) {
      this.context = context;
      this.client = context.client();
      this.events = context.events();
    }

    ResourceEventHandler<ReplicaSet> replicaSetEvents() {
      return new ResourceEventHandler<>() {
        @Override
        public void onAdd(ReplicaSet rs) {
          context.queue().add(ObjectKeys.key(rs));
        }

        @Override
        public void onUpdate(ReplicaSet before, ReplicaSet after) {
          context.queue().add(ObjectKeys.key(after));
        }

        @Override
        public void onDelete(ReplicaSet rs) {
          expectations.forget(ObjectKeys.key(rs));
          context.queue().add(ObjectKeys.key(rs));
        }
      };
    }

    PodEvents podEvents() {
      return new PodEvents(replicaSets.cache(), expectations, context.queue()::add);
    }

    Result reconcile(String key) {
      ReplicaSet rs = replicaSets.cache().getByKey(key).orElse(null);
      if (rs == null) {
        expectations.forget(key);
        return Result.done();
      }
      Instant now = context.clock().instant();
      List<Pod> candidates = pods.cache().byIndex(IndexedCache.NAMESPACE_INDEX, rs.getMetadata().getNamespace());
      ReplicaSetPlan plan = ReplicaSetDecision.plan(rs, candidates, expectations.satisfied(key, now), now);

      // Adoptions and releases first: a failed one stops the sync before scaling on a wrong count.
      OwnerWrites.apply(client.resource(Resource.POD), rs, new Claims<>(List.of(), plan.adopt(), plan.release()));
      if (plan.create() > 0) {
        createPods(key, rs, plan.create());
      } else if (!plan.delete().isEmpty()) {
        deletePods(key, rs, plan.delete());
      }
      writeStatus(rs, plan.status());
      return plan.recheckAfter() == null ? Result.done() : Result.requeueAfter(plan.recheckAfter());
    }

    private void createPods(String key, ReplicaSet rs, int count) {
      expectations.expectCreations(key, count, context.clock().instant());
      AtomicReference<RuntimeException> firstError = new AtomicReference<>();
      int created = SlowStart.run(count, 1, batch -> createBatch(rs, batch, firstError));
      // The pods never asked for will never be seen: stop waiting for them.
      for (int i = created; i < count; i++) {
        expectations.creationObserved(key);
      }
      if (firstError.get() != null) {
        throw firstError.get();
      }
    }

    private int createBatch(ReplicaSet rs, int size, AtomicReference<RuntimeException> firstError) {
      String key = ObjectKeys.key(rs);
      try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Pod>> answers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          answers.add(calls.submit(() -> pods(rs.getMetadata().getNamespace()).create(PodTemplates.podFor(rs))));
        }
        int succeeded = 0;
        for (Future<Pod> answer : answers) {
          try {
            Pod pod = answer.get();
            succeeded++;
            events.normal(rs, "SuccessfulCreate", "Created pod: " + pod.getMetadata().getName());
          } catch (Exception e) {
            RuntimeException cause = unwrap(e);
            firstError.compareAndSet(null, cause);
            expectations.creationObserved(key);
            events.warning(rs, "FailedCreate", "Error creating: " + cause.getMessage());
          }
        }
        // A batch with a failure counts as not fully succeeded, which ends slow start.
        return succeeded;
      }
    }

    private void deletePods(String key, ReplicaSet rs, List<Pod> victims) {
      expectations.expectDeletions(key, victims.stream().map(ObjectKeys::key).toList(), context.clock().instant());
      RuntimeException firstError = null;
      for (Pod pod : victims) {
        try {
          pods(pod.getMetadata().getNamespace()).delete(pod.getMetadata().getName(),
              new DeleteOptionsBuilder().withNewPreconditions().withUid(pod.getMetadata().getUid())
                  .endPreconditions().build());
          events.normal(rs, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
        } catch (ApiException e) {
          // Gone already (404) or replaced by another pod of that name (409): either way this
          // deletion will not be observed as one of ours.
          expectations.deletionObserved(key, ObjectKeys.key(pod));
          if (!e.isNotFound()) {
            events.warning(rs, "FailedDelete", "Error deleting: " + e.getMessage());
            firstError = firstError == null ? e : firstError;
          }
        } catch (RuntimeException e) {
          expectations.deletionObserved(key, ObjectKeys.key(pod));
          firstError = firstError == null ? e : firstError;
        }
      }
      if (firstError != null) {
        throw firstError;
      }
    }

    private void writeStatus(ReplicaSet rs, ReplicaSetStatus status) {
      if (status.equals(rs.getStatus())) {
        return;
      }
      ReplicaSet copy = new ReplicaSetBuilder(rs).withStatus(status).build();
      client.resource(Resource.REPLICA_SET).updateStatus(copy);
    }

    private ResourceClient<Pod> pods(String namespace) {
      return client.resource(Resource.POD).inNamespace(namespace);
    }
  }

  private static RuntimeException unwrap(Exception e) {
    Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
    return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
  }

  /** A pod made from a ReplicaSet's template (used by tests too). */
  static final class PodTemplates {
    private PodTemplates() {}

    static Pod podFor(ReplicaSet rs) {
      var template = rs.getSpec().getTemplate();
      return new PodBuilder()
          .withNewMetadata()
            .withNamespace(rs.getMetadata().getNamespace())
            .withGenerateName(rs.getMetadata().getName() + "-")
            .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
            .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
            .withOwnerReferences(OwnerRefs.controllerRef(rs))
          .endMetadata()
          .withSpec(template.getSpec())
          .build();
    }
  }
}
