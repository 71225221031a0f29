package io.berth.agent.pods;

import io.berth.agent.runtime.ContainerSpec;
import io.berth.agent.runtime.Mount;
import io.berth.agent.runtime.PodRef;
import io.berth.agent.runtime.PortMapping;
import io.berth.agent.runtime.Resources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a pod's container into what a runtime creates: env resolved (value, configMapKeyRef,
 * secretKeyRef, fieldRef, envFrom), volume mounts resolved to host paths, resources in engine
 * units. A reference that cannot be resolved is a {@link CreateContainerConfigError}, which
 * the pod's status shows, as Kubernetes does.
 */
public final class ContainerSpecs {
  private final PodObjects objects;

  public ContainerSpecs(PodObjects objects) {
    this.objects = objects;
  }

  /** A container's spec could not be made (a missing ConfigMap key, say): shown as CreateContainerConfigError. */
  public static final class CreateContainerConfigError extends RuntimeException {
    public CreateContainerConfigError(String message) {
      super(message);
    }
  }

  public ContainerSpec spec(Pod pod, Container container, int attempt, String podIp, String nodeName,
      Map<String, String> volumeHostPaths, List<PortMapping> published) {
    PodRef ref = new PodRef(pod.getMetadata().getUid(), pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    List<PortMapping> own = new ArrayList<>();
    if (container.getPorts() != null) {
      for (var declared : container.getPorts()) {
        String protocol = declared.getProtocol() == null ? "TCP" : declared.getProtocol();
        published.stream().filter(p -> p.containerPort() == declared.getContainerPort()
            && p.protocol().equals(protocol)).findFirst().ifPresent(own::add);
      }
    }
    return new ContainerSpec(ref, container.getName(), attempt, container.getImage(),
        orEmpty(container.getCommand()), orEmpty(container.getArgs()), container.getWorkingDir(),
        env(pod, container, podIp, nodeName), mounts(container, volumeHostPaths), resources(container), own);
  }

  Map<String, String> env(Pod pod, Container container, String podIp, String nodeName) {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnvFrom() != null) {
      for (EnvFromSource from : container.getEnvFrom()) {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        if (from.getConfigMapRef() != null) {
          String name = from.getConfigMapRef().getName();
          var map = objects.configMap(namespace, name);
          if (map.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
            throw new CreateContainerConfigError("configmap \"" + name + "\" not found");
          }
          map.map(ConfigMap::getData).ifPresent(data -> data.forEach((k, v) -> env.put(prefix + k, v)));
        }
        if (from.getSecretRef() != null) {
          String name = from.getSecretRef().getName();
          var secret = objects.secret(namespace, name);
          if (secret.isEmpty() && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
            throw new CreateContainerConfigError("secret \"" + name + "\" not found");
          }
          secret.ifPresent(s -> secretData(s).forEach((k, v) -> env.put(prefix + k, v)));
        }
      }
    }
    if (container.getEnv() != null) {
      for (EnvVar var : container.getEnv()) {
        String value = var.getValueFrom() == null ? expand(var.getValue(), env)
            : valueFrom(pod, var.getName(), var.getValueFrom(), podIp, nodeName);
        if (value != null) {
          env.put(var.getName(), value);
        }
      }
    }
    return env;
  }

  private String valueFrom(Pod pod, String variable, EnvVarSource source, String podIp, String nodeName) {
    String namespace = pod.getMetadata().getNamespace();
    if (source.getConfigMapKeyRef() != null) {
      var ref = source.getConfigMapKeyRef();
      String value = objects.configMap(namespace, ref.getName()).map(ConfigMap::getData)
          .map(data -> data.get(ref.getKey())).orElse(null);
      if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new CreateContainerConfigError("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace
            + "/" + ref.getName() + " (env " + variable + ")");
      }
      return value;
    }
    if (source.getSecretKeyRef() != null) {
      var ref = source.getSecretKeyRef();
      String value = objects.secret(namespace, ref.getName()).map(ContainerSpecs::secretData)
          .map(data -> data.get(ref.getKey())).orElse(null);
      if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new CreateContainerConfigError("couldn't find key " + ref.getKey() + " in Secret " + namespace
            + "/" + ref.getName() + " (env " + variable + ")");
      }
      return value;
    }
    if (source.getFieldRef() != null) {
      String path = source.getFieldRef().getFieldPath();
      return switch (path) {
        case "metadata.name" -> pod.getMetadata().getName();
        case "metadata.namespace" -> namespace;
        case "metadata.uid" -> pod.getMetadata().getUid();
        case "status.podIP", "status.hostIP" -> podIp;
        case "spec.nodeName" -> nodeName;
        case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
        default -> throw new CreateContainerConfigError("unsupported fieldRef " + path + " (env " + variable + ")");
      };
    }
    throw new CreateContainerConfigError("env " + variable + ": only configMapKeyRef, secretKeyRef and fieldRef "
        + "are supported in valueFrom");
  }

  /** Kubernetes' $(VAR) references to variables defined before; $$ escapes a dollar. */
  static String expand(String value, Map<String, String> defined) {
    if (value == null || !value.contains("$")) {
      return value == null ? "" : value;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
        out.append('$');
        i++;
      } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '(') {
        int end = value.indexOf(')', i);
        String name = end < 0 ? null : value.substring(i + 2, end);
        if (name != null && defined.containsKey(name)) {
          out.append(defined.get(name));
          i = end;
        } else {
          out.append(c);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static Map<String, String> secretData(Secret secret) {
    Map<String, String> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v),
          StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    return data;
  }

  private static List<Mount> mounts(Container container, Map<String, String> volumeHostPaths) {
    List<Mount> mounts = new ArrayList<>();
    if (container.getVolumeMounts() != null) {
      for (VolumeMount mount : container.getVolumeMounts()) {
        String host = volumeHostPaths.get(mount.getName());
        if (host == null) {
          throw new CreateContainerConfigError("volume mount " + mount.getName() + " names no volume of the pod");
        }
        if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
          host = host + "/" + mount.getSubPath();
        }
        mounts.add(new Mount(host, mount.getMountPath(), Boolean.TRUE.equals(mount.getReadOnly())));
      }
    }
    return mounts;
  }

  static Resources resources(Container container) {
    if (container.getResources() == null) {
      return Resources.NONE;
    }
    Map<String, Quantity> limits = Objects.requireNonNullElse(container.getResources().getLimits(), Map.of());
    Map<String, Quantity> requests = Objects.requireNonNullElse(container.getResources().getRequests(), Map.of());
    long cpuLimit = millis(limits.get("cpu"));
    // Kubernetes defaults a missing request to the limit.
    long cpuRequest = requests.containsKey("cpu") ? millis(requests.get("cpu")) : cpuLimit;
    long memory = limits.containsKey("memory") ? Quantity.getAmountInBytes(limits.get("memory")).longValue() : 0;
    return new Resources(cpuLimit, cpuRequest, memory);
  }

  private static long millis(Quantity cpu) {
    if (cpu == null) {
      return 0;
    }
    return Quantity.getAmountInBytes(cpu).multiply(BigDecimal.valueOf(1000)).longValue();
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }
}
