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
    assertThatThrownBy(() -> FieldSelector.parse("spec.nodeName=n1", "ConfigMap"))
        .hasMessage("field label not supported: spec.nodeName");
    assertThatThrownBy(() -> FieldSelector.parse("metadata.name")).hasMessageContaining("expected field=value");
  }

  @Test
  void podsAreSelectedByNodeNameAndPhaseAndEventsByInvolvedObject() {
    var pod = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("p").endMetadata()
        .withNewSpec().withNodeName("n1").endSpec().withNewStatus().withPhase("Running").endStatus().build();
    assertThat(FieldSelector.parse("spec.nodeName=n1,status.phase!=Failed", "Pod").matches(pod)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName=n2", "Pod").matches(pod)).isFalse();
    var unbound = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("q").endMetadata().build();
    assertThat(FieldSelector.parse("spec.nodeName=", "Pod").matches(unbound)).isTrue();
    var event = new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName("e").endMetadata()
        .withNewInvolvedObject().withKind("Pod").withName("p").endInvolvedObject().build();
    assertThat(FieldSelector.parse("involvedObject.kind=Pod,involvedObject.name=p", "Event").matches(event)).isTrue();
    assertThat(FieldSelector.parse("involvedObject.name=x", "Event").matches(event)).isFalse();
  }
}
