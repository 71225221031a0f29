package io.berth.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.controllers.gc.GcDecision.OwnerState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcDecisionTest {
  private final ConfigMap owner = object("owner", List.of());

  @Test
  void aDependentWhoseOnlyOwnerIsGoneIsDeletedInTheBackground() {
    ConfigMap dependent = object("d", List.of(), ref("owner", true));
    assertThat(GcDecision.plan(dependent, List.of(), Map.of("uid-owner", OwnerState.ABSENT)))
        .isEqualTo(new GcPlan.DeleteSelf("Background"));
  }

  @Test
  void aDependentWithAnOwnerLeftKeepsLivingAndDropsTheGoneOne() {
    ConfigMap dependent = object("d", List.of(), ref("owner", true), ref("other", false));
    assertThat(GcDecision.plan(dependent, List.of(), Map.of("uid-owner", OwnerState.ABSENT,
        "uid-other", OwnerState.PRESENT))).isEqualTo(new GcPlan.DropOwners(List.of("uid-owner")));
    assertThat(GcDecision.plan(dependent, List.of(), Map.of("uid-owner", OwnerState.PRESENT,
        "uid-other", OwnerState.PRESENT))).isEqualTo(new GcPlan.Nothing());
  }

  @Test
  void aDependentOfAnOwnerDeletedInTheForegroundIsDeletedInTheForeground() {
    ConfigMap dependent = object("d", List.of(), ref("owner", true));
    assertThat(GcDecision.plan(dependent, List.of(), Map.of("uid-owner", OwnerState.DELETING_FOREGROUND)))
        .isEqualTo(new GcPlan.DeleteSelf("Foreground"));
  }

  @Test
  void aForegroundOwnerDeletesItsDependentsAndWaitsForThoseThatBlockIt() {
    ConfigMap deleting = deleting(owner, "foregroundDeletion");
    ConfigMap blocking = object("blocking", List.of(), ref("owner", true));
    ConfigMap notBlocking = object("free", List.of(), ref("owner", false));
    ConfigMap going = deleting(object("going", List.of(), ref("owner", true)), "x");

    GcPlan plan = GcDecision.plan(deleting, List.of(blocking, notBlocking, going), Map.of());
    assertThat(plan).isEqualTo(new GcPlan.Foreground(List.of(blocking, notBlocking), false));
    // Only non-blocking dependents left: the owner may go.
    assertThat(GcDecision.plan(deleting, List.of(notBlocking), Map.of()))
        .isEqualTo(new GcPlan.Foreground(List.of(notBlocking), true));
  }

  @Test
  void anOrphaningOwnerLetsGoOfItsDependents() {
    ConfigMap deleting = deleting(owner, "orphan");
    ConfigMap dependent = object("d", List.of(), ref("owner", true));
    assertThat(GcDecision.plan(deleting, List.of(dependent), Map.of()))
        .isEqualTo(new GcPlan.Orphan(List.<HasMetadata>of(dependent)));
  }

  @Test
  void objectsWithoutOwnersOrAlreadyGoingAreLeftAlone() {
    assertThat(GcDecision.plan(owner, List.of(), Map.of())).isEqualTo(new GcPlan.Nothing());
    ConfigMap going = deleting(object("d", List.of(), ref("owner", true)), "x");
    assertThat(GcDecision.plan(going, List.of(), Map.of("uid-owner", OwnerState.ABSENT)))
        .isEqualTo(new GcPlan.Nothing());
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference ref(String name, boolean block) {
    return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName(name)
        .withUid("uid-" + name).withBlockOwnerDeletion(block).build();
  }

  private static ConfigMap object(String name, List<String> finalizers,
      io.fabric8.kubernetes.api.model.OwnerReference... owners) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name)
        .withFinalizers(finalizers).withOwnerReferences(owners).endMetadata().build();
  }

  private static ConfigMap deleting(ConfigMap object, String finalizer) {
    return new ConfigMapBuilder(object).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
        .addToFinalizers(finalizer).endMetadata().build();
  }
}
