package io.berth.apiserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeAuthorizerTest {
  private static final PodSpec SPEC = new PodSpecBuilder()
      .addNewImagePullSecret("registry")
      .addNewVolume().withName("a").withNewSecret().withSecretName("volume-secret").endSecret().endVolume()
      .addNewVolume().withName("b").withNewConfigMap().withName("volume-config").endConfigMap().endVolume()
      .addNewVolume().withName("c").withNewProjected().addNewSource().withNewSecret().withName("projected-secret")
      .endSecret().endSource().addNewSource().withNewConfigMap().withName("projected-config").endConfigMap()
      .endSource().endProjected().endVolume()
      .addNewInitContainer().withName("init").addNewEnvFrom().withNewSecretRef().withName("init-secret").endSecretRef()
      .endEnvFrom().endInitContainer()
      .addNewContainer().withName("main")
      .addNewEnvFrom().withNewConfigMapRef().withName("envfrom-config").endConfigMapRef().endEnvFrom()
      .addNewEnv().withName("S").withNewValueFrom().withNewSecretKeyRef("k", "env-secret", false).endValueFrom().endEnv()
      .addNewEnv().withName("C").withNewValueFrom().withNewConfigMapKeyRef("k", "env-config", false).endValueFrom()
      .endEnv()
      .addNewEnv().withName("F").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
      .endValueFrom().endEnv()
      .endContainer().build();

  @Test
  void aPodReferencesSecretsThroughPullSecretsVolumesProjectionsEnvFromAndEnv() {
    assertThat(NodeAuthorizer.secretsOf(SPEC)).containsExactlyInAnyOrder("registry", "volume-secret",
        "projected-secret", "init-secret", "env-secret");
  }

  @Test
  void aPodReferencesConfigMapsThroughVolumesProjectionsEnvFromAndEnv() {
    assertThat(NodeAuthorizer.configMapsOf(SPEC)).containsExactlyInAnyOrder("volume-config", "projected-config",
        "envfrom-config", "env-config");
  }

  @Test
  void onlyUsersInSystemNodesNamedSystemNodeSomethingAreNodes() {
    assertThat(NodeAuthorizer.nodeName(new UserInfo("system:node:w1", List.of("system:nodes")))).isEqualTo("w1");
    assertThat(NodeAuthorizer.nodeName(new UserInfo("system:node:w1", List.of()))).isNull();
    assertThat(NodeAuthorizer.nodeName(new UserInfo("w1", List.of("system:nodes")))).isNull();
    assertThat(NodeAuthorizer.nodeName(new UserInfo("system:node:", List.of("system:nodes")))).isNull();
  }
}
