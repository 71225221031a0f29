package io.berth.apiserver.defaulting;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.stream.Stream;

/**
 * The defaults kube-apiserver gives a pod spec, in a Pod and in the template of a
 * Deployment or ReplicaSet alike, so that what a client reads back says how the pod will
 * really run: restart policy, DNS policy, grace period, scheduler, and per container
 * the pull policy, termination message, port protocols and probe timings. Fields the
 * client set are never changed.
 */
public final class PodSpecDefaults {
  /** Octal 0644: files projected from secrets and config maps are world-readable, owner-writable. */
  private static final int DEFAULT_FILE_MODE = 0644;

  private PodSpecDefaults() {}

  public static void apply(PodSpec spec) {
    if (spec == null) {
      return;
    }
    spec.setRestartPolicy(orDefault(spec.getRestartPolicy(), "Always"));
    spec.setDnsPolicy(orDefault(spec.getDnsPolicy(), "ClusterFirst"));
    spec.setSchedulerName(orDefault(spec.getSchedulerName(), "default-scheduler"));
    if (spec.getTerminationGracePeriodSeconds() == null) {
      spec.setTerminationGracePeriodSeconds(30L);
    }
    if (spec.getEnableServiceLinks() == null) {
      spec.setEnableServiceLinks(true);
    }
    if (spec.getSecurityContext() == null) {
      spec.setSecurityContext(new PodSecurityContext());
    }
    Stream.concat(list(spec.getInitContainers()).stream(), list(spec.getContainers()).stream())
        .forEach(PodSpecDefaults::container);
    list(spec.getVolumes()).forEach(PodSpecDefaults::volume);
  }

  /**
   * Always for ":latest" or no tag, since such a reference may move; IfNotPresent for a
   * fixed tag or a digest.
   */
  static String pullPolicyFor(String image) {
    if (image == null || image.contains("@")) {
      return "IfNotPresent";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    // A colon before the last slash is a registry's port, not a tag.
    String tag = colon > slash ? image.substring(colon + 1) : "";
    return tag.isEmpty() || tag.equals("latest") ? "Always" : "IfNotPresent";
  }

  private static void container(Container c) {
    c.setImagePullPolicy(orDefault(c.getImagePullPolicy(), pullPolicyFor(c.getImage())));
    c.setTerminationMessagePath(orDefault(c.getTerminationMessagePath(), "/dev/termination-log"));
    c.setTerminationMessagePolicy(orDefault(c.getTerminationMessagePolicy(), "File"));
    if (c.getResources() == null) {
      c.setResources(new ResourceRequirements());
    }
    for (ContainerPort port : list(c.getPorts())) {
      port.setProtocol(orDefault(port.getProtocol(), "TCP"));
    }
    for (EnvVar env : list(c.getEnv())) {
      if (env.getValueFrom() != null && env.getValueFrom().getFieldRef() != null) {
        env.getValueFrom().getFieldRef().setApiVersion(orDefault(env.getValueFrom().getFieldRef().getApiVersion(), "v1"));
      }
    }
    Stream.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()).forEach(PodSpecDefaults::probe);
  }

  private static void probe(Probe probe) {
    if (probe == null) {
      return;
    }
    probe.setTimeoutSeconds(orDefault(probe.getTimeoutSeconds(), 1));
    probe.setPeriodSeconds(orDefault(probe.getPeriodSeconds(), 10));
    probe.setSuccessThreshold(orDefault(probe.getSuccessThreshold(), 1));
    probe.setFailureThreshold(orDefault(probe.getFailureThreshold(), 3));
    if (probe.getHttpGet() != null) {
      probe.getHttpGet().setScheme(orDefault(probe.getHttpGet().getScheme(), "HTTP"));
      probe.getHttpGet().setPath(orDefault(probe.getHttpGet().getPath(), "/"));
    }
  }

  private static void volume(Volume v) {
    if (v.getSecret() != null) {
      v.getSecret().setDefaultMode(orDefault(v.getSecret().getDefaultMode(), DEFAULT_FILE_MODE));
    }
    if (v.getConfigMap() != null) {
      v.getConfigMap().setDefaultMode(orDefault(v.getConfigMap().getDefaultMode(), DEFAULT_FILE_MODE));
    }
  }

  static <T> List<T> list(List<T> maybe) {
    return maybe == null ? List.of() : maybe;
  }

  static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }

  static Integer orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
