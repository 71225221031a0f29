package io.berth.apiserver.defaulting;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;

class PodSpecDefaultsTest {
  @Test
  void anEmptySpecGetsKubernetesPodLevelDefaults() {
    PodSpec spec = new PodSpecBuilder().addNewContainer().withName("c").withImage("nginx").endContainer().build();
    PodSpecDefaults.apply(spec);
    assertThat(spec.getRestartPolicy()).isEqualTo("Always");
    assertThat(spec.getDnsPolicy()).isEqualTo("ClusterFirst");
    assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(30L);
    assertThat(spec.getSchedulerName()).isEqualTo("default-scheduler");
    assertThat(spec.getEnableServiceLinks()).isTrue();
    assertThat(spec.getSecurityContext()).isNotNull();
  }

  @Test
  void containersGetPullPolicyTerminationMessageAndTcpPorts() {
    PodSpec spec = new PodSpecBuilder()
        .addNewInitContainer().withName("init").withImage("busybox:1.36").endInitContainer()
        .addNewContainer().withName("c").withImage("nginx").addNewPort().withContainerPort(80).endPort()
        .addNewPort().withContainerPort(53).withProtocol("UDP").endPort().endContainer()
        .build();
    PodSpecDefaults.apply(spec);
    Container c = spec.getContainers().get(0);
    assertThat(c.getImagePullPolicy()).isEqualTo("Always");
    assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("File");
    assertThat(c.getPorts()).extracting(p -> p.getProtocol()).containsExactly("TCP", "UDP");
    assertThat(spec.getInitContainers().get(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
  }

  @Test
  void pullPolicyIsAlwaysOnlyForLatestOrUntaggedImages() {
    assertThat(PodSpecDefaults.pullPolicyFor("nginx")).isEqualTo("Always");
    assertThat(PodSpecDefaults.pullPolicyFor("nginx:latest")).isEqualTo("Always");
    assertThat(PodSpecDefaults.pullPolicyFor("nginx:1.27")).isEqualTo("IfNotPresent");
    assertThat(PodSpecDefaults.pullPolicyFor("registry:5000/team/app")).isEqualTo("Always");
    assertThat(PodSpecDefaults.pullPolicyFor("registry:5000/team/app:v2")).isEqualTo("IfNotPresent");
    assertThat(PodSpecDefaults.pullPolicyFor("nginx@sha256:0123abcd")).isEqualTo("IfNotPresent");
  }

  @Test
  void probesGetTheirTimingsAndHttpGetItsScheme() {
    PodSpec spec = new PodSpecBuilder().addNewContainer().withName("c").withImage("app:1")
        .withNewLivenessProbe().withNewHttpGet().withNewPort(8080).endHttpGet().endLivenessProbe()
        .withNewReadinessProbe().withPeriodSeconds(2).withNewTcpSocket().withNewPort(8080).endTcpSocket()
        .endReadinessProbe().endContainer().build();
    PodSpecDefaults.apply(spec);
    Container c = spec.getContainers().get(0);
    assertThat(c.getLivenessProbe().getTimeoutSeconds()).isEqualTo(1);
    assertThat(c.getLivenessProbe().getPeriodSeconds()).isEqualTo(10);
    assertThat(c.getLivenessProbe().getSuccessThreshold()).isEqualTo(1);
    assertThat(c.getLivenessProbe().getFailureThreshold()).isEqualTo(3);
    assertThat(c.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
    assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(2);
  }

  @Test
  void secretAndConfigMapVolumesAreMode0644() {
    PodSpec spec = new PodSpecBuilder()
        .addNewVolume().withName("s").withNewSecret().withSecretName("s").endSecret().endVolume()
        .addNewVolume().withName("c").withNewConfigMap().withName("c").withDefaultMode(0400).endConfigMap().endVolume()
        .build();
    PodSpecDefaults.apply(spec);
    assertThat(spec.getVolumes().get(0).getSecret().getDefaultMode()).isEqualTo(420);
    assertThat(spec.getVolumes().get(1).getConfigMap().getDefaultMode()).isEqualTo(0400);
  }

  @Test
  void whatTheClientSetIsKept() {
    PodSpec spec = new PodSpecBuilder().withRestartPolicy("Never").withTerminationGracePeriodSeconds(5L)
        .addNewContainer().withName("c").withImage("nginx").withImagePullPolicy("Never").endContainer().build();
    PodSpecDefaults.apply(spec);
    assertThat(spec.getRestartPolicy()).isEqualTo("Never");
    assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(5L);
    assertThat(spec.getContainers().get(0).getImagePullPolicy()).isEqualTo("Never");
  }
}
