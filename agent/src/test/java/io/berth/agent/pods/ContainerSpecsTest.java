package io.berth.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerSpecsTest {
  private final PodObjects objects = new PodObjects() {
    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
      return name.equals("settings") ? Optional.of(new ConfigMapBuilder().addToData("mode", "fast")
          .addToData("level", "3").build()) : Optional.empty();
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
      return name.equals("creds") ? Optional.of(new SecretBuilder().addToData("password",
          Base64.getEncoder().encodeToString("s3cret".getBytes())).build()) : Optional.empty();
    }
  };
  private final ContainerSpecs specs = new ContainerSpecs(objects);
  private final Pod pod = new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("u")
      .endMetadata().withNewSpec().endSpec().build();

  @Test
  void envIsResolvedFromValuesReferencesFieldsAndEnvFrom() {
    Container c = new ContainerBuilder().withName("c")
        .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("settings").endConfigMapRef().endEnvFrom()
        .addNewEnv().withName("GREETING").withValue("hi").endEnv()
        .addNewEnv().withName("MESSAGE").withValue("$(GREETING) from $(POD) $$(literal)").endEnv()
        .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
        .endValueFrom().endEnv()
        .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "creds", false)
        .endValueFrom().endEnv()
        .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef()
        .endValueFrom().endEnv()
        .build();
    Map<String, String> env = specs.env(pod, c, "10.0.0.7", "node-1");
    assertThat(env).containsEntry("CFG_mode", "fast").containsEntry("CFG_level", "3")
        .containsEntry("GREETING", "hi").containsEntry("POD", "web-1").containsEntry("PASSWORD", "s3cret")
        .containsEntry("IP", "10.0.0.7")
        // POD is defined after MESSAGE, so it is not expanded there, as in Kubernetes.
        .containsEntry("MESSAGE", "hi from $(POD) $(literal)");
  }

  @Test
  void aMissingReferenceIsACreateContainerConfigErrorUnlessOptional() {
    Container missing = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom()
        .withNewConfigMapKeyRef("nope", "settings", false).endValueFrom().endEnv().build();
    assertThatThrownBy(() -> specs.env(pod, missing, null, "n"))
        .isInstanceOf(ContainerSpecs.CreateContainerConfigError.class).hasMessageContaining("nope");
    Container optional = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom()
        .withNewConfigMapKeyRef("nope", "settings", true).endValueFrom().endEnv().build();
    assertThat(specs.env(pod, optional, null, "n")).doesNotContainKey("X");
  }

  @Test
  void resourcesBecomeEngineUnitsWithTheRequestDefaultingToTheLimit() {
    Container c = new ContainerBuilder().withName("c").withNewResources()
        .addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("64Mi")).endResources().build();
    var resources = ContainerSpecs.resources(c);
    assertThat(resources.cpuLimitMillis()).isEqualTo(500);
    assertThat(resources.cpuRequestMillis()).isEqualTo(500);
    assertThat(resources.memoryLimitBytes()).isEqualTo(64L << 20);
    assertThat(resources.cpuQuotaMicros()).isEqualTo(50_000);
    assertThat(resources.cpuShares()).isEqualTo(512);
  }
}
