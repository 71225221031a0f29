package io.berth.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service-account volume the API server adds to a pod, as the agent lays it out on the node. */
class ProjectedVolumeTest {
  @TempDir
  Path root;

  private final List<String> asked = new ArrayList<>();
  private final PodObjects objects = new PodObjects() {
    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
      return name.equals("kube-root-ca.crt")
          ? Optional.of(new ConfigMapBuilder().addToData("ca.crt", "-----BEGIN CERTIFICATE-----\n").build())
          : Optional.empty();
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
      return Optional.empty();
    }
  };
  private final ServiceAccountTokens tokens = (pod, account, seconds) -> {
    asked.add(pod.getMetadata().getNamespace() + "/" + account + " for " + seconds + " s");
    return "token-of-" + account;
  };

  private static Pod pod(String configMap) {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u1").endMetadata()
        .withNewSpec().withServiceAccountName("builder")
        .addNewVolume().withName("kube-api-access-abcde").withNewProjected()
        .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L)
        .endServiceAccountToken().endSource()
        .addNewSource().withNewConfigMap().withName(configMap).addNewItem().withKey("ca.crt").withPath("ca.crt")
        .endItem().endConfigMap().endSource()
        .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef("v1",
            "metadata.namespace").endItem().endDownwardAPI().endSource()
        .endProjected().endVolume().endSpec().build();
  }

  @Test
  void theTokenTheCaAndTheNamespaceAreFilesOfOneDirectory() throws Exception {
    Volumes volumes = new Volumes(root, objects, tokens);
    Path dir = Path.of(volumes.prepare(pod("kube-root-ca.crt")).get("kube-api-access-abcde"));

    assertThat(Files.readString(dir.resolve("token"))).isEqualTo("token-of-builder");
    assertThat(Files.readString(dir.resolve("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(dir.resolve("namespace"))).isEqualTo("shop");
    assertThat(asked).containsExactly("shop/builder for 3607 s");
  }

  @Test
  void aMissingCaConfigMapOrNoTokenSourceKeepsThePodWaitingWithTheReason() {
    assertThatThrownBy(() -> new Volumes(root, objects, tokens).prepare(pod("nowhere")))
        .isInstanceOf(ContainerSpecs.CreateContainerConfigError.class)
        .hasMessageContaining("configmap \"nowhere\" not found");
    assertThatThrownBy(() -> new Volumes(root, objects).prepare(pod("kube-root-ca.crt")))
        .isInstanceOf(ContainerSpecs.CreateContainerConfigError.class)
        .hasMessageContaining("cannot request service-account tokens");
  }
}
