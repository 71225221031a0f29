package io.berth.apiserver.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {
  private final ConfigMap c = new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("ns").endMetadata()
      .build();

  @Test
  void nameAndNamespace() {
    assertThat(FieldSelector.parse("metadata.name=c").matches(c)).isTrue();
    assertThat(FieldSelector.parse("metadata.name==d").matches(c)).isFalse();
    assertThat(FieldSelector.parse("metadata.name!=d,metadata.namespace=ns").matches(c)).isTrue();
    assertThat(FieldSelector.parse("").matches(c)).isTrue();
  }

  @Test
  void unknownFieldsAreRefusedByName() {
    assertThatThrownBy(() -> FieldSelector.parse("spec.nodeName=n1"))
        .hasMessageContaining("\"spec.nodeName\" is not a known field selector");
    assertThatThrownBy(() -> FieldSelector.parse("metadata.name")).hasMessageContaining("expected field=value");
  }
}
