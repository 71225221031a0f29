package io.berth.apiserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
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
  void aNodeMayRequestTokensOnlyForTheServiceAccountsOfItsPodsThatMountOne() {
    Pod mounting = pod("web", "w1", new PodSpecBuilder().withServiceAccountName("builder").withNodeName("w1")
        .addNewVolume().withName("kube-api-access-x").withNewProjected().addNewSource().withNewServiceAccountToken()
        .withPath("token").withExpirationSeconds(3607L).endServiceAccountToken().endSource().endProjected()
        .endVolume().build());
    Pod notMounting = pod("batch", "w1", new PodSpecBuilder().withServiceAccountName("cron").withNodeName("w1")
        .build());
    Pod elsewhere = pod("db", "w2", new PodSpecBuilder().withServiceAccountName("dba").withNodeName("w2")
        .addNewVolume().withName("kube-api-access-y").withNewProjected().addNewSource().withNewServiceAccountToken()
        .withPath("token").endServiceAccountToken().endSource().endProjected().endVolume().build());
    NodeAuthorizer authorizer = new NodeAuthorizer(new NodeAuthorizer.BoundPods() {
      @Override
      public List<Pod> boundTo(String node) {
        return java.util.stream.Stream.of(mounting, notMounting, elsewhere)
            .filter(p -> node.equals(p.getSpec().getNodeName())).toList();
      }

      @Override
      public java.util.Optional<Pod> pod(String namespace, String name) {
        return java.util.Optional.empty();
      }
    });
    UserInfo w1 = new UserInfo("system:node:w1", List.of("system:nodes"));
    assertThat(authorizer.authorize(token(w1, "create", "builder")).allowed()).isTrue();
    assertThat(authorizer.authorize(token(w1, "get", "builder")).allowed()).as("only create").isFalse();
    assertThat(authorizer.authorize(token(w1, "create", "cron")).allowed()).as("its pod mounts no token").isFalse();
    assertThat(authorizer.authorize(token(w1, "create", "dba")).allowed()).as("another node's pod").isFalse();
  }

  private static RequestAttributes token(UserInfo user, String verb, String account) {
    return new RequestAttributes(user, verb, "", "serviceaccounts", "token", "default", account);
  }

  private static Pod pod(String name, String node, PodSpec spec) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata().withSpec(spec)
        .build();
  }

  @Test
  void onlyUsersInSystemNodesNamedSystemNodeSomethingAreNodes() {
    assertThat(NodeAuthorizer.nodeName(new UserInfo("system:node:w1", List.of("system:nodes")))).isEqualTo("w1");
    assertThat(NodeAuthorizer.nodeName(new UserInfo("system:node:w1", List.of()))).isNull();
    assertThat(NodeAuthorizer.nodeName(new UserInfo("w1", List.of("system:nodes")))).isNull();
    assertThat(NodeAuthorizer.nodeName(new UserInfo("system:node:", List.of("system:nodes")))).isNull();
  }
}
