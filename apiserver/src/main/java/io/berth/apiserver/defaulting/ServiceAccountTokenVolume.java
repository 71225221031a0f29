package io.berth.apiserver.defaulting;

import io.fabric8.kubernetes.api.model.ConfigMapProjectionBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIProjectionBuilder;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjectionBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What kube-apiserver's ServiceAccount admission plugin does to a new pod: it runs as
 * service account "default" unless it names one, and, unless it opts out with
 * automountServiceAccountToken: false, gets the projected volume kube-api-access-XXXXX
 * mounted read-only at {@value #MOUNT_PATH} in every container: a token of its service
 * account that the node agent requests and renews (3607 s, as kubelet asks), the cluster's CA
 * from ConfigMap kube-root-ca.crt, and its namespace. A pod that already mounts something at
 * that path keeps it.
 */
public final class ServiceAccountTokenVolume {
  public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  public static final String VOLUME_PREFIX = "kube-api-access-";
  public static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
  static final long TOKEN_SECONDS = 3607;

  private ServiceAccountTokenVolume() {}

  /** @param suffix five random characters that make the volume's name */
  public static void apply(Pod pod, String suffix) {
    PodSpec spec = pod.getSpec();
    if (spec == null) {
      return;
    }
    if (spec.getServiceAccountName() == null || spec.getServiceAccountName().isEmpty()) {
      spec.setServiceAccountName(spec.getServiceAccount() == null || spec.getServiceAccount().isEmpty()
          ? "default" : spec.getServiceAccount());
    }
    spec.setServiceAccount(spec.getServiceAccountName());
    if (Boolean.FALSE.equals(spec.getAutomountServiceAccountToken()) || alreadyMounted(spec)) {
      return;
    }
    String name = VOLUME_PREFIX + suffix;
    List<Volume> volumes = new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
    volumes.add(volume(name));
    spec.setVolumes(volumes);
    VolumeMount mount = new VolumeMountBuilder().withName(name).withMountPath(MOUNT_PATH).withReadOnly(true).build();
    containers(spec).forEach(c -> {
      List<VolumeMount> mounts = new ArrayList<>(c.getVolumeMounts() == null ? List.of() : c.getVolumeMounts());
      mounts.add(mount);
      c.setVolumeMounts(mounts);
    });
  }

  private static Volume volume(String name) {
    return new VolumeBuilder().withName(name).withNewProjected().withDefaultMode(0644).withSources(
        new VolumeProjectionBuilder().withServiceAccountToken(new ServiceAccountTokenProjectionBuilder()
            .withExpirationSeconds(TOKEN_SECONDS).withPath("token").build()).build(),
        new VolumeProjectionBuilder().withConfigMap(new ConfigMapProjectionBuilder().withName(ROOT_CA_CONFIG_MAP)
            .withItems(new KeyToPathBuilder().withKey("ca.crt").withPath("ca.crt").build()).build()).build(),
        new VolumeProjectionBuilder().withDownwardAPI(new DownwardAPIProjectionBuilder().addNewItem()
            .withPath("namespace").withNewFieldRef("v1", "metadata.namespace").endItem().build()).build())
        .endProjected().build();
  }

  private static boolean alreadyMounted(PodSpec spec) {
    boolean volume = spec.getVolumes() != null
        && spec.getVolumes().stream().anyMatch(v -> v.getName() != null && v.getName().startsWith(VOLUME_PREFIX));
    return volume || containers(spec).anyMatch(c -> c.getVolumeMounts() != null
        && c.getVolumeMounts().stream().anyMatch(m -> MOUNT_PATH.equals(m.getMountPath())));
  }

  private static Stream<Container> containers(PodSpec spec) {
    return Stream.concat(spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream(),
        spec.getContainers() == null ? Stream.empty() : spec.getContainers().stream());
  }
}
