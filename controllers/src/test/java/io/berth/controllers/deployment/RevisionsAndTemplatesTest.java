package io.berth.controllers.deployment;

import static io.berth.controllers.testing.Objects.replicaSet;
import static io.berth.controllers.testing.Objects.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsAndTemplatesTest {

  @Test
  void theHashIsStableAndChangesWithTheTemplateOrACollision() {
    PodTemplateSpec v1 = template(Map.of("app", "web"), "nginx:1");

    assertThat(Templates.hash(v1, null)).isEqualTo(Templates.hash(template(Map.of("app", "web"), "nginx:1"), null))
        .matches("[bcdfghjklmnpqrstvwxz2456789]+");
    assertThat(Templates.hash(v1, null)).isNotEqualTo(Templates.hash(template(Map.of("app", "web"), "nginx:2"), null));
    assertThat(Templates.hash(v1, null)).isNotEqualTo(Templates.hash(v1, 1));
  }

  @Test
  void templatesCompareIgnoringTheHashLabelAndEmptyFields() {
    PodTemplateSpec deployment = template(Map.of("app", "web"), "nginx:1");
    PodTemplateSpec replicaSet = new PodTemplateSpecBuilder(deployment).editMetadata()
        .addToLabels(Templates.HASH_LABEL, "abc").withAnnotations(Map.of()).endMetadata().build();

    assertThat(Templates.equalIgnoringHash(deployment, replicaSet)).isTrue();
    assertThat(Templates.equalIgnoringHash(deployment, template(Map.of("app", "web"), "nginx:2"))).isFalse();
    assertThat(Templates.withoutHash(replicaSet).getMetadata().getLabels()).isEqualTo(Map.of("app", "web"));
  }

  @Test
  void theNextRevisionFollowsTheHighestAndEmptyOldOnesBeyondTheLimitAreTrimmedOldestFirst() {
    List<ReplicaSet> olds = new ArrayList<>();
    for (int revision = 1; revision <= 5; revision++) {
      olds.add(new ReplicaSetBuilder(replicaSet("r" + revision, 0, Map.of("app", "web"))).editMetadata()
          .addToAnnotations(Revisions.REVISION, Integer.toString(revision)).endMetadata().build());
    }
    olds.set(1, new ReplicaSetBuilder(olds.get(1)).editSpec().withReplicas(1).endSpec().build());

    assertThat(Revisions.max(olds)).isEqualTo(5);
    assertThat(History.surplus(olds, 2)).extracting(rs -> rs.getMetadata().getName())
        .as("r2 still has a replica: kept").containsExactly("r1", "r3", "r4");
  }
}
