package io.berth.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeletionTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void anObjectWithoutFinalizersIsRemovedAtOnce() {
    assertThat(Deletion.plan(configMap(List.of()), DeleteOptions.none(), clock, "c"))
        .isInstanceOf(Deletion.RemoveNow.class);
  }

  @Test
  void finalizersHoldAnObjectMarkedAsBeingDeleted() {
    Deletion.Plan plan = Deletion.plan(configMap(List.of("example.com/hold")), DeleteOptions.none(), clock, "c");
    assertThat(plan).isInstanceOf(Deletion.Mark.class);
    var meta = ((Deletion.Mark) plan).marked().getMetadata();
    assertThat(meta.getDeletionTimestamp()).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(meta.getDeletionGracePeriodSeconds()).isZero();
    // Deleting it again changes nothing.
    assertThat(Deletion.plan(((Deletion.Mark) plan).marked(), DeleteOptions.none(), clock, "c"))
        .isInstanceOf(Deletion.AlreadyDeleting.class);
  }

  @Test
  void removingTheLastFinalizerOfADeletedObjectFinishesTheDelete() {
    ConfigMap held = (ConfigMap) ((Deletion.Mark) Deletion.plan(configMap(List.of("f")), DeleteOptions.none(), clock,
        "c")).marked();
    assertThat(Deletion.finishedBy(held)).isFalse();
    held.getMetadata().setFinalizers(List.of());
    assertThat(Deletion.finishedBy(held)).isTrue();
    assertThat(Deletion.finishedBy(configMap(List.of()))).as("not being deleted").isFalse();
  }

  @Test
  void aPodOnANodeIsDeletedGracefullyAndItsAgentFinishesWithGraceZero() {
    Pod pod = pod("node-1", 20L);
    Deletion.Plan plan = Deletion.plan(pod, DeleteOptions.none(), clock, "p");
    var marked = ((Deletion.Mark) plan).marked().getMetadata();
    assertThat(marked.getDeletionTimestamp()).isEqualTo("2026-11-22T10:00:20Z");
    assertThat(marked.getDeletionGracePeriodSeconds()).isEqualTo(20);
    assertThat(Deletion.plan(pod, new DeleteOptions(0L, null, null, null), clock, "p"))
        .isInstanceOf(Deletion.RemoveNow.class);
  }

  @Test
  void aPodOnNoNodeGoesAtOnceWhateverItsGracePeriod() {
    assertThat(Deletion.plan(pod(null, 30L), DeleteOptions.none(), clock, "p")).isInstanceOf(Deletion.RemoveNow.class);
  }

  @Test
  void aPodWithoutItsOwnGracePeriodGetsThirtySeconds() {
    var marked = ((Deletion.Mark) Deletion.plan(pod("n", null), DeleteOptions.none(), clock, "p")).marked();
    assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30);
  }

  @Test
  void preconditionsThatDoNotHoldAreConflicts() {
    ConfigMap c = configMap(List.of());
    assertThatThrownBy(() -> Deletion.plan(c, new DeleteOptions(null, "other-uid", null, null), clock,
        "configmaps \"c\"")).isInstanceOf(ApiException.class)
        .hasMessageContaining("Precondition failed: UID in precondition: other-uid, UID in object meta: uid-1")
        .extracting(e -> ((ApiException) e).code()).isEqualTo(409);
    assertThatThrownBy(() -> Deletion.plan(c, new DeleteOptions(null, null, "3", null), clock, "c"))
        .hasMessageContaining("ResourceVersion in precondition: 3, ResourceVersion in object meta: 7");
    assertThat(Deletion.plan(c, new DeleteOptions(null, "uid-1", "7", "Background"), clock, "c"))
        .isInstanceOf(Deletion.RemoveNow.class);
  }

  @Test
  void aForegroundDeleteHoldsTheObjectWithTheForegroundDeletionFinalizer() {
    Deletion.Plan plan = Deletion.plan(configMap(List.of("example.com/hold")),
        new DeleteOptions(null, null, null, "Foreground"), clock, "c");
    var meta = ((Deletion.Mark) plan).marked().getMetadata();
    assertThat(meta.getFinalizers()).containsExactly("example.com/hold", "foregroundDeletion");
    assertThat(meta.getDeletionTimestamp()).isEqualTo("2026-11-22T10:00:00Z");
  }

  @Test
  void anOrphanDeleteHoldsTheObjectWithTheOrphanFinalizerEvenWithoutDependents() {
    Deletion.Plan plan = Deletion.plan(configMap(List.of()), new DeleteOptions(null, null, null, "Orphan"), clock, "c");
    assertThat(((Deletion.Mark) plan).marked().getMetadata().getFinalizers()).containsExactly("orphan");
  }

  @Test
  void onlyOnePolicyFinalizerIsKept() {
    Deletion.Plan plan = Deletion.plan(configMap(List.of("orphan")), new DeleteOptions(null, null, null, "Foreground"),
        clock, "c");
    assertThat(((Deletion.Mark) plan).marked().getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
  }

  @Test
  void aBackgroundDeleteAddsNoFinalizer() {
    assertThat(Deletion.plan(configMap(List.of()), new DeleteOptions(null, null, null, "Background"), clock, "c"))
        .isInstanceOf(Deletion.RemoveNow.class);
  }

  @Test
  void deleteOptionsComeFromTheBodyOrTheQuery() {
    DeleteOptions fromBody = DeleteOptions.from(java.util.Map.of(), """
        {"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":5,"propagationPolicy":"Orphan",
         "preconditions":{"uid":"u"}}""".getBytes());
    assertThat(fromBody).isEqualTo(new DeleteOptions(5L, "u", null, "Orphan"));
    DeleteOptions fromQuery = DeleteOptions.from(java.util.Map.of("gracePeriodSeconds", List.of("0"),
        "propagationPolicy", List.of("Background")), new byte[0]);
    assertThat(fromQuery).isEqualTo(new DeleteOptions(0L, null, null, "Background"));
    assertThatThrownBy(() -> DeleteOptions.from(java.util.Map.of("propagationPolicy", List.of("Sideways")), null))
        .hasMessageContaining("Unsupported value: \"Sideways\"");
  }

  @Test
  void aNamespaceIsMarkedTerminatingUntilItsSpecFinalizersAreEmptied() {
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName("team").withUid("u").withResourceVersion("1")
        .endMetadata().withNewSpec().withFinalizers("kubernetes").endSpec()
        .withNewStatus().withPhase("Active").endStatus().build();
    Namespace marked = (Namespace) ((Deletion.Mark) Deletion.plan(ns, DeleteOptions.none(), clock, "n")).marked();
    assertThat(marked.getStatus().getPhase()).isEqualTo("Terminating");
    assertThat(marked.getMetadata().getDeletionTimestamp()).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(Deletion.finishedBy(marked)).as("the kubernetes finalizer still holds it").isFalse();
    marked.getSpec().setFinalizers(List.of());
    assertThat(Deletion.finishedBy(marked)).isTrue();
  }

  @Test
  void aNamespaceWithoutSpecFinalizersGoesAtOnce() {
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build();
    assertThat(Deletion.plan(ns, DeleteOptions.none(), clock, "n")).isInstanceOf(Deletion.RemoveNow.class);
  }

  private static ConfigMap configMap(List<String> finalizers) {
    return new ConfigMapBuilder().withNewMetadata().withName("c").withUid("uid-1").withResourceVersion("7")
        .withFinalizers(finalizers).endMetadata().build();
  }

  private static Pod pod(String node, Long grace) {
    return new PodBuilder().withNewMetadata().withName("p").withUid("u").withResourceVersion("1").endMetadata()
        .withNewSpec().withNodeName(node).withTerminationGracePeriodSeconds(grace).endSpec().build();
  }
}
