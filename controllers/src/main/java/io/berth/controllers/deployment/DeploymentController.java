package io.berth.controllers.deployment;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.client.ResourceClient;
import io.berth.client.informer.IndexedCache;
import io.berth.controllers.Controller;
import io.berth.controllers.ControllerContext;
import io.berth.controllers.Reconciler;
import io.berth.controllers.Result;
import io.berth.controllers.SharedInformer;
import io.berth.controllers.SharedInformers;
import io.berth.client.events.EventRecorder;
import io.berth.controllers.workload.Claims;
import io.berth.controllers.workload.OwnerRefs;
import io.berth.controllers.workload.OwnerWrites;
import io.berth.controllers.workload.PodState;
import io.berth.controllers.workload.WrittenVersions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rolls each Deployment's pods from ReplicaSet to ReplicaSet.
 *
 * <pre>
 * reconcile(deployment):
 *   read it, its namespace's ReplicaSets and their pods from the caches
 *   adopt / release ReplicaSets by selector; wait until the cache shows our last writes
 *   new = the ReplicaSet whose template is the Deployment's; olds = the rest
 *   paused        -> only resize (proportionally) and trim history
 *   resized       -> ProportionalScaling.scale
 *   otherwise     -> RollingUpdate.step or Recreate.step (pure), then carry it out:
 *                    create or resize the new ReplicaSet (with its revision), resize the olds
 *   complete      -> History.surplus: delete the oldest empty ReplicaSets past revisionHistoryLimit
 *   annotate the Deployment with the new revision; write DeploymentStatuses.compute (pure)
 * </pre>
 */
public final class DeploymentController implements Controller {
  private final SharedInformer<Deployment> deployments;
  private final SharedInformer<ReplicaSet> replicaSets;
  private final SharedInformer<Pod> pods;

  public DeploymentController(SharedInformers informers) {
    this.deployments = informers.forResource(Resource.DEPLOYMENT);
    this.replicaSets = informers.forResource(Resource.REPLICA_SET);
    this.pods = informers.forResource(Resource.POD).index(OwnerRefs.CONTROLLER_UID_INDEX, OwnerRefs::controllerUid);
  }

  @Override
  public String name() {
    return "deployment";
  }

  @Override
  public Reconciler start(ControllerContext context) {
    DeploymentEvents routing = new DeploymentEvents(deployments.cache(), replicaSets.cache(), context.queue()::add);
    context.subscribe(deployments, routing.forDeployments());
    context.subscribe(replicaSets, routing.forReplicaSets());
    context.subscribe(pods, routing.forPods());
    return new Term(context)::reconcile;
  }

  /** One leadership term: the versions it wrote start empty. */
  private final class Term {
    private final ControllerContext context;
    private final Client client;
    private final EventRecorder events;
    private final WrittenVersions written = new WrittenVersions(Duration.ofSeconds(30));

    Term(ControllerContext context) {
      this.context = context;
      this.client = context.client();
      this.events = context.events();
    }

    Result reconcile(String key) {
      Deployment d = deployments.cache().getByKey(key).orElse(null);
      if (d == null) {
        written.forget(key);
        return Result.done();
      }
      Instant now = context.clock().instant();
      List<ReplicaSet> candidates = replicaSets.cache().byIndex(IndexedCache.NAMESPACE_INDEX,
          d.getMetadata().getNamespace());
      Claims<ReplicaSet> claims = Claims.decide(d, d.getSpec().getSelector(), candidates);
      OwnerWrites.apply(client.resource(Resource.REPLICA_SET), d, claims);
      if (!claims.adopt().isEmpty() || !claims.release().isEmpty()
          || !written.caughtUp(key, claims.claimed(), now)) {
        // Decide again once the cache shows what was just written.
        return Result.requeueAfter(Duration.ofMillis(100));
      }

      ReplicaSet found = claims.claimed().stream()
          .filter(rs -> Templates.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
          .min(java.util.Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp())).orElse(null);
      List<ReplicaSet> olds = claims.claimed().stream().filter(rs -> rs != found).toList();
      ReplicaSet newRs = found;
      boolean created = false;
      if (d.getMetadata().getDeletionTimestamp() == null) {
        Rollout rollout = new Rollout(key, d, newRs, olds, now);
        newRs = rollout.run();
        created = rollout.created;
      }
      return writeStatus(d, newRs, olds, created, now);
    }

    /** One sync's changes to the ReplicaSets of one Deployment. */
    private final class Rollout {
      final String key;
      final Deployment d;
      final List<ReplicaSet> olds;
      final Instant now;
      final int desired;
      final Bounds bounds;
      ReplicaSet newRs;
      boolean created;

      Rollout(String key, Deployment d, ReplicaSet newRs, List<ReplicaSet> olds, Instant now) {
        this.key = key;
        this.d = d;
        this.newRs = newRs;
        this.olds = olds;
        this.now = now;
        this.desired = Bounds.replicas(d);
        this.bounds = Bounds.of(d);
      }

      ReplicaSet run() {
        RsView newView = newRs == null ? null : view(newRs);
        List<RsView> oldViews = olds.stream().map(this::view).toList();
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        if (paused || ProportionalScaling.isScalingEvent(desired, newView, oldViews)) {
          ProportionalScaling.scale(desired, bounds, Bounds.isRollingUpdate(d), newView, oldViews)
              .forEach(s -> scale(s.rs(), s.replicas()));
          if (paused) {
            trimHistory();
          }
          return newRs;
        }
        RsView target = newView == null ? new RsView(null, 0, 0, 0) : newView;
        RolloutPlan plan = Bounds.isRollingUpdate(d) ? RollingUpdate.step(desired, bounds, target, oldViews)
            : Recreate.step(desired, target, oldViews, oldPodsLeft());
        if (newRs == null && plan.newReplicas() != null) {
          newRs = createNewReplicaSet(plan.newReplicas());
          created = true;
        } else if (newRs != null) {
          newRs = syncRevision(newRs);
          if (plan.newReplicas() != null && plan.newReplicas().intValue() != newRs.getSpec().getReplicas()) {
            newRs = scale(newRs, plan.newReplicas());
          }
        }
        plan.olds().forEach(s -> scale(s.rs(), s.replicas()));
        if (plan.isEmpty() && newRs != null && newView != null && newView.replicas() == desired
            && newView.availableAtLeast() == desired) {
          trimHistory();
        }
        return newRs;
      }

      /** The new ReplicaSet: the template with its hash label, the next revision, owned by the Deployment. */
      private ReplicaSet createNewReplicaSet(int replicas) {
        Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
        String hash = Templates.hash(d.getSpec().getTemplate(), collisions);
        String name = d.getMetadata().getName() + "-" + hash;
        ReplicaSet rs = new ReplicaSetBuilder()
            .withNewMetadata()
              .withNamespace(d.getMetadata().getNamespace()).withName(name)
              .withLabels(withHash(d.getSpec().getTemplate().getMetadata().getLabels(), hash))
              .withAnnotations(Map.of(Revisions.REVISION, Long.toString(Revisions.max(olds) + 1),
                  Revisions.DESIRED_REPLICAS, Integer.toString(desired),
                  Revisions.MAX_REPLICAS, Integer.toString(desired + bounds.maxSurge())))
              .withOwnerReferences(OwnerRefs.controllerRef(d))
            .endMetadata()
            .withNewSpec()
              .withReplicas(replicas).withMinReadySeconds(d.getSpec().getMinReadySeconds())
              .withNewSelectorLike(d.getSpec().getSelector()).addToMatchLabels(Templates.HASH_LABEL, hash).endSelector()
              .withNewTemplateLike(d.getSpec().getTemplate()).editOrNewMetadata()
                .withLabels(withHash(d.getSpec().getTemplate().getMetadata().getLabels(), hash)).endMetadata()
              .endTemplate()
            .endSpec()
            .build();
        try {
          ReplicaSet answer = replicaSets(rs).create(rs);
          written.wrote(key, answer, now);
          events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + name + " to " + replicas);
          return answer;
        } catch (ApiException e) {
          if (e.isAlreadyExists()) {
            noteCollision(name);
          }
          throw e;
        }
      }

      /**
       * A ReplicaSet of that name exists with another template (or the cache has not shown ours
       * yet). In the first case the next name is tried, by counting the collision in status.
       */
      private void noteCollision(String name) {
        ReplicaSet existing = replicaSets(d).get(name).orElse(null);
        if (existing == null || (OwnerRefs.isControlledBy(existing, d)
            && Templates.equalIgnoringHash(existing.getSpec().getTemplate(), d.getSpec().getTemplate()))) {
          return;
        }
        DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int count = status.getCollisionCount() == null ? 1 : status.getCollisionCount() + 1;
        client.resource(Resource.DEPLOYMENT).updateStatus(new DeploymentBuilder(d).editOrNewStatus()
            .withCollisionCount(count).endStatus().build());
      }

      /**
       * A ReplicaSet that becomes the new one again (a rollback) takes the next revision; the
       * revision it had is kept in revision-history, as kubectl rollout history shows.
       */
      private ReplicaSet syncRevision(ReplicaSet rs) {
        long next = Revisions.max(olds) + 1;
        long current = Revisions.of(rs);
        if (current >= next) {
          return rs;
        }
        ReplicaSetBuilder copy = new ReplicaSetBuilder(rs).editMetadata()
            .addToAnnotations(Revisions.REVISION, Long.toString(next)).endMetadata();
        if (current > 0) {
          String history = rs.getMetadata().getAnnotations().get(Revisions.REVISION_HISTORY);
          copy.editMetadata().addToAnnotations(Revisions.REVISION_HISTORY,
              history == null || history.isEmpty() ? Long.toString(current) : history + "," + current).endMetadata();
        }
        ReplicaSet answer = replicaSets(rs).update(copy.build());
        written.wrote(key, answer, now);
        return answer;
      }

      /** Sets a ReplicaSet's size and the Deployment size it was set for (see ProportionalScaling). */
      private ReplicaSet scale(ReplicaSet rs, int replicas) {
        int from = rs.getSpec().getReplicas();
        ReplicaSet answer = replicaSets(rs).update(new ReplicaSetBuilder(rs)
            .editMetadata()
              .addToAnnotations(Revisions.DESIRED_REPLICAS, Integer.toString(desired))
              .addToAnnotations(Revisions.MAX_REPLICAS, Integer.toString(desired + bounds.maxSurge()))
            .endMetadata()
            .editSpec().withReplicas(replicas).endSpec()
            .build());
        written.wrote(key, answer, now);
        if (from != replicas) {
          events.normal(d, "ScalingReplicaSet", "Scaled " + (replicas > from ? "up" : "down") + " replica set "
              + rs.getMetadata().getName() + " from " + from + " to " + replicas);
        }
        return answer;
      }

      private void trimHistory() {
        Integer limit = d.getSpec().getRevisionHistoryLimit();
        for (ReplicaSet rs : History.surplus(olds, limit == null ? 10 : limit)) {
          try {
            replicaSets(rs).delete(rs.getMetadata().getName(), new DeleteOptionsBuilder()
                .withPropagationPolicy("Background").withNewPreconditions().withUid(rs.getMetadata().getUid())
                .endPreconditions().build());
          } catch (ApiException e) {
            if (!e.isNotFound()) {
              throw e;
            }
          }
        }
      }

      private RsView view(ReplicaSet rs) {
        Duration minReady = Duration.ofSeconds(Objects.requireNonNullElse(d.getSpec().getMinReadySeconds(), 0));
        List<Pod> owned = pods.cache().byIndex(OwnerRefs.CONTROLLER_UID_INDEX, rs.getMetadata().getUid());
        int active = (int) owned.stream().filter(PodState::isActive).count();
        int available = (int) owned.stream().filter(PodState::isActive)
            .filter(p -> PodState.isAvailable(p, minReady, now)).count();
        return new RsView(rs, rs.getSpec().getReplicas(), active, available);
      }

      /** Pods of old ReplicaSets that may still run: terminating ones included, finished ones not. */
      private int oldPodsLeft() {
        int left = 0;
        for (ReplicaSet old : olds) {
          left += (int) pods.cache().byIndex(OwnerRefs.CONTROLLER_UID_INDEX, old.getMetadata().getUid()).stream()
              .filter(p -> !"Succeeded".equals(PodState.phase(p)) && !"Failed".equals(PodState.phase(p))).count();
        }
        return left;
      }
    }

    /** Annotates the Deployment with its new revision, then writes its status if it changed. */
    private Result writeStatus(Deployment d, ReplicaSet newRs, List<ReplicaSet> olds, boolean created, Instant now) {
      List<ReplicaSet> all = new ArrayList<>(olds);
      if (newRs != null) {
        all.add(newRs);
      }
      Deployment current = d;
      String revision = newRs == null ? null : Long.toString(Revisions.of(newRs));
      Map<String, String> annotations = d.getMetadata().getAnnotations();
      if (revision != null && !revision.equals(annotations == null ? null : annotations.get(Revisions.REVISION))) {
        current = client.resource(Resource.DEPLOYMENT).update(new DeploymentBuilder(d).editMetadata()
            .addToAnnotations(Revisions.REVISION, revision).endMetadata().build());
      }
      DeploymentStatuses.Outcome outcome = DeploymentStatuses.compute(current, newRs, all, created, now);
      if (!outcome.status().equals(current.getStatus())) {
        client.resource(Resource.DEPLOYMENT).updateStatus(new DeploymentBuilder(current)
            .withStatus(outcome.status()).build());
      }
      return outcome.recheckAfter() == null ? Result.done() : Result.requeueAfter(outcome.recheckAfter());
    }

    private ResourceClient<ReplicaSet> replicaSets(io.fabric8.kubernetes.api.model.HasMetadata in) {
      return client.resource(Resource.REPLICA_SET).inNamespace(in.getMetadata().getNamespace());
    }
  }

  private static Map<String, String> withHash(Map<String, String> labels, String hash) {
    Map<String, String> all = new java.util.LinkedHashMap<>(labels == null ? Map.of() : labels);
    all.put(Templates.HASH_LABEL, hash);
    return all;
  }
}
