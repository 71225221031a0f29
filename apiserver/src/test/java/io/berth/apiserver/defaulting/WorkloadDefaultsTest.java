package io.berth.apiserver.defaulting;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.api.Test;

class WorkloadDefaultsTest {
  @Test
  void aDeploymentRollsOutOneReplicaAQuarterAtATime() {
    Deployment d = new DeploymentBuilder().withNewSpec().withNewTemplate().withNewSpec().addNewContainer()
        .withName("c").withImage("nginx:1.27").endContainer().endSpec().endTemplate().endSpec().build();
    WorkloadDefaults.deployment(d);
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("25%");
    assertThat(d.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy())
        .isEqualTo("IfNotPresent");
  }

  @Test
  void aRecreateDeploymentHasNoRollingUpdateParameters() {
    Deployment d = new DeploymentBuilder().withNewSpec().withReplicas(0).withNewStrategy().withType("Recreate")
        .endStrategy().endSpec().build();
    WorkloadDefaults.deployment(d);
    assertThat(d.getSpec().getReplicas()).isZero();
    assertThat(d.getSpec().getStrategy().getRollingUpdate()).isNull();
  }

  @Test
  void aReplicaSetRunsOneReplicaWithPodDefaultsInItsTemplate() {
    ReplicaSet rs = new ReplicaSetBuilder().withNewSpec().withNewTemplate().withNewSpec().addNewContainer()
        .withName("c").withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build();
    WorkloadDefaults.replicaSet(rs);
    assertThat(rs.getSpec().getReplicas()).isEqualTo(1);
    assertThat(rs.getSpec().getTemplate().getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
  }
}
