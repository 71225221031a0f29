package io.berth.apiserver.defaulting;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import org.junit.jupiter.api.Test;

class ServiceAccountTokenVolumeTest {
  private static PodBuilder pod() {
    return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
        .withNewSpec().addNewInitContainer().withName("init").withImage("busybox").endInitContainer()
        .addNewContainer().withName("main").withImage("busybox").endContainer().endSpec();
  }

  @Test
  void aNewPodRunsAsDefaultAndEveryContainerMountsTokenCaAndNamespace() {
    Pod pod = pod().build();
    ServiceAccountTokenVolume.apply(pod, "x7k2p");

    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("default");
    assertThat(pod.getSpec().getServiceAccount()).isEqualTo("default");
    Volume volume = pod.getSpec().getVolumes().get(0);
    assertThat(volume.getName()).isEqualTo("kube-api-access-x7k2p");
    var sources = volume.getProjected().getSources();
    assertThat(sources.get(0).getServiceAccountToken().getPath()).isEqualTo("token");
    assertThat(sources.get(0).getServiceAccountToken().getExpirationSeconds()).isEqualTo(3607L);
    assertThat(sources.get(1).getConfigMap().getName()).isEqualTo("kube-root-ca.crt");
    assertThat(sources.get(1).getConfigMap().getItems().get(0).getPath()).isEqualTo("ca.crt");
    assertThat(sources.get(2).getDownwardAPI().getItems().get(0).getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    for (var container : java.util.List.of(pod.getSpec().getInitContainers().get(0), pod.getSpec().getContainers().get(0))) {
      assertThat(container.getVolumeMounts()).singleElement().satisfies(m -> {
        assertThat(m.getName()).isEqualTo("kube-api-access-x7k2p");
        assertThat(m.getMountPath()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
        assertThat(m.getReadOnly()).isTrue();
      });
    }
  }

  @Test
  void aNamedAccountIsKeptAndAnOptOutOrAnOwnMountGetsNoVolume() {
    Pod named = pod().editSpec().withServiceAccountName("builder").endSpec().build();
    ServiceAccountTokenVolume.apply(named, "aaaaa");
    assertThat(named.getSpec().getServiceAccountName()).isEqualTo("builder");
    assertThat(named.getSpec().getVolumes()).hasSize(1);

    Pod optedOut = pod().editSpec().withAutomountServiceAccountToken(false).endSpec().build();
    ServiceAccountTokenVolume.apply(optedOut, "bbbbb");
    assertThat(optedOut.getSpec().getServiceAccountName()).isEqualTo("default");
    assertThat(optedOut.getSpec().getVolumes()).isNullOrEmpty();

    Pod ownMount = pod().editSpec().addNewVolume().withName("mine").withNewEmptyDir().endEmptyDir().endVolume()
        .editFirstContainer().addNewVolumeMount().withName("mine")
        .withMountPath("/var/run/secrets/kubernetes.io/serviceaccount").endVolumeMount().endContainer().endSpec()
        .build();
    ServiceAccountTokenVolume.apply(ownMount, "ccccc");
    assertThat(ownMount.getSpec().getVolumes()).extracting(Volume::getName).containsExactly("mine");
  }
}
