package io.berth.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetadataPolicyTest {
  private final ResourceTable table = ResourceTable.builtIn();
  private final ResourceType configMaps = table.find("", "v1", "configmaps").orElseThrow();
  private final ResourceType namespaces = table.find("", "v1", "namespaces").orElseThrow();
  private final MetadataPolicy policy = new MetadataPolicy(
      Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC), new Random(42));

  @Test
  void createSetsUidTimestampAndTheNamespaceOfThePath() {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("c").withResourceVersion("7").endMetadata().build();
    policy.prepareCreate(cm, configMaps, "team");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("team");
    assertThat(cm.getMetadata().getCreationTimestamp()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(cm.getMetadata().getUid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(cm.getMetadata().getResourceVersion()).as("never stored: it is the mod_revision").isNull();
  }

  @Test
  void generateNameGetsAFiveCharacterSuffix() {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withGenerateName("job-").endMetadata().build();
    policy.prepareCreate(cm, configMaps, "default");
    assertThat(cm.getMetadata().getName()).matches("job-[bcdfghjklmnpqrstvwxz2456789]{5}");
  }

  @Test
  void noNameIsInvalid() {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().endMetadata().build();
    assertThatThrownBy(() -> policy.prepareCreate(cm, configMaps, "default"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422));
  }

  @Test
  void aNamespaceOtherThanThePathsIsABadRequest() {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("a").endMetadata().build();
    assertThatThrownBy(() -> policy.prepareCreate(cm, configMaps, "b"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(400);
          assertThat(e.getMessage()).contains("does not match the namespace sent on the request");
        });
  }

  @Test
  void clusterScopedObjectsHaveNoNamespace() {
    Namespace ns = new NamespaceBuilder().withNewMetadata().withName("x").withNamespace("y").endMetadata().build();
    policy.prepareCreate(ns, namespaces, null);
    assertThat(ns.getMetadata().getNamespace()).isNull();
  }

  @Test
  void updateKeepsWhatTheServerOwns() {
    ConfigMap existing = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build();
    policy.prepareCreate(existing, configMaps, "default");
    ConfigMap incoming = new ConfigMapBuilder().withNewMetadata().withName("c").withUid("forged")
        .withCreationTimestamp("1999-01-01T00:00:00Z").withResourceVersion("5").endMetadata().build();
    policy.prepareUpdate(incoming, existing, configMaps, "default", "c");
    assertThat(incoming.getMetadata().getUid()).isEqualTo(existing.getMetadata().getUid());
    assertThat(incoming.getMetadata().getCreationTimestamp()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(incoming.getMetadata().getResourceVersion()).isNull();
  }

  @Test
  void updateOfAnotherNameThanTheUrlsIsABadRequest() {
    ConfigMap existing = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build();
    ConfigMap incoming = new ConfigMapBuilder().withNewMetadata().withName("d").endMetadata().build();
    assertThatThrownBy(() -> policy.prepareUpdate(incoming, existing, configMaps, "default", "c"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }
}
