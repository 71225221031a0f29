package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod spec, in a Pod or in a workload's template: containers (names, images, ports,
 * env, mounts, resources), volumes, and the pod-level enumerations and durations.
 */
public final class PodSpecValidation {
  static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
  static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");
  private static final Set<String> DNS_POLICIES = Set.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
  private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
  private static final Set<String> TERMINATION_MESSAGE_POLICIES = Set.of("File", "FallbackToLogsOnError");
  private static final Set<String> TOLERATION_OPERATORS = Set.of("Exists", "Equal");
  static final Set<String> TAINT_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  private PodSpecValidation() {}

  /**
   * @param restartPolicies the restart policies allowed here (a workload's pods must restart: Always only)
   */
  public static void validate(PodSpec spec, FieldPath path, Set<String> restartPolicies, Errors errors) {
    if (spec == null) {
      errors.required(path, "");
      return;
    }
    Set<String> volumes = volumes(spec.getVolumes(), path.child("volumes"), errors);
    if (list(spec.getContainers()).isEmpty()) {
      errors.required(path.child("containers"), "");
    }
    Set<String> containerNames = new HashSet<>();
    containers(spec.getInitContainers(), path.child("initContainers"), volumes, containerNames, errors);
    containers(spec.getContainers(), path.child("containers"), volumes, containerNames, errors);
    errors.oneOf(path.child("restartPolicy"), spec.getRestartPolicy(), restartPolicies);
    errors.oneOf(path.child("dnsPolicy"), spec.getDnsPolicy(), DNS_POLICIES);
    errors.atLeast(path.child("terminationGracePeriodSeconds"), spec.getTerminationGracePeriodSeconds(), 0);
    if (spec.getActiveDeadlineSeconds() != null && spec.getActiveDeadlineSeconds() < 1) {
      errors.invalid(path.child("activeDeadlineSeconds"), spec.getActiveDeadlineSeconds(),
          "must be between 1 and 2147483647, inclusive");
    }
    MetadataValidation.labels(spec.getNodeSelector(), path.child("nodeSelector"), errors);
    tolerations(spec.getTolerations(), path.child("tolerations"), errors);
  }

  private static Set<String> volumes(List<Volume> volumes, FieldPath path, Errors errors) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list(volumes).size(); i++) {
      String name = volumes.get(i).getName();
      FieldPath p = path.index(i).child("name");
      if (MetadataValidation.isEmpty(name)) {
        errors.required(p, "");
      } else if (!names.add(name)) {
        errors.duplicate(p, name);
      } else {
        errors.invalid(p, name, Syntax.dns1123Label(name));
      }
    }
    return names;
  }

  private static void containers(List<Container> containers, FieldPath path, Set<String> volumes,
      Set<String> namesSoFar, Errors errors) {
    for (int i = 0; i < list(containers).size(); i++) {
      container(containers.get(i), path.index(i), volumes, namesSoFar, errors);
    }
  }

  private static void container(Container c, FieldPath path, Set<String> volumes, Set<String> namesSoFar,
      Errors errors) {
    if (MetadataValidation.isEmpty(c.getName())) {
      errors.required(path.child("name"), "");
    } else if (!namesSoFar.add(c.getName())) {
      errors.duplicate(path.child("name"), c.getName());
    } else {
      errors.invalid(path.child("name"), c.getName(), Syntax.dns1123Label(c.getName()));
    }
    if (c.getImage() == null || c.getImage().isBlank()) {
      errors.required(path.child("image"), "");
    }
    errors.oneOf(path.child("imagePullPolicy"), c.getImagePullPolicy(), PULL_POLICIES);
    errors.oneOf(path.child("terminationMessagePolicy"), c.getTerminationMessagePolicy(), TERMINATION_MESSAGE_POLICIES);
    ports(c.getPorts(), path.child("ports"), errors);
    for (int i = 0; i < list(c.getEnv()).size(); i++) {
      EnvVar env = c.getEnv().get(i);
      if (MetadataValidation.isEmpty(env.getName())) {
        errors.required(path.child("env").index(i).child("name"), "");
      } else {
        errors.invalid(path.child("env").index(i).child("name"), env.getName(), Syntax.envVarName(env.getName()));
      }
    }
    for (int i = 0; i < list(c.getVolumeMounts()).size(); i++) {
      VolumeMount mount = c.getVolumeMounts().get(i);
      FieldPath p = path.child("volumeMounts").index(i);
      if (MetadataValidation.isEmpty(mount.getName())) {
        errors.required(p.child("name"), "");
      } else if (!volumes.contains(mount.getName())) {
        errors.notFound(p.child("name"), mount.getName());
      }
      if (MetadataValidation.isEmpty(mount.getMountPath())) {
        errors.required(p.child("mountPath"), "");
      }
    }
    if (c.getResources() != null) {
      requestsWithinLimits(c.getResources().getRequests(), c.getResources().getLimits(),
          path.child("resources").child("requests"), errors);
    }
  }

  private static void ports(List<ContainerPort> ports, FieldPath path, Errors errors) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list(ports).size(); i++) {
      ContainerPort port = ports.get(i);
      FieldPath p = path.index(i);
      if (port.getContainerPort() == null || port.getContainerPort() == 0) {
        errors.required(p.child("containerPort"), "");
      } else {
        errors.port(p.child("containerPort"), port.getContainerPort());
      }
      if (port.getHostPort() != null && port.getHostPort() != 0) {
        errors.port(p.child("hostPort"), port.getHostPort());
      }
      if (port.getProtocol() == null) {
        errors.required(p.child("protocol"), "");
      } else {
        errors.oneOf(p.child("protocol"), port.getProtocol(), PROTOCOLS);
      }
      if (!MetadataValidation.isEmpty(port.getName())) {
        if (!names.add(port.getName())) {
          errors.duplicate(p.child("name"), port.getName());
        } else {
          errors.invalid(p.child("name"), port.getName(), Syntax.portName(port.getName()));
        }
      }
    }
  }

  /** A container cannot be promised more than it is allowed to use. */
  private static void requestsWithinLimits(Map<String, Quantity> requests, Map<String, Quantity> limits,
      FieldPath path, Errors errors) {
    if (requests == null || limits == null) {
      return;
    }
    requests.forEach((resource, request) -> {
      Quantity limit = limits.get(resource);
      if (limit != null && Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) > 0) {
        errors.invalid(path, request.toString(),
            "must be less than or equal to " + resource + " limit of " + limit);
      }
    });
  }

  private static void tolerations(List<Toleration> tolerations, FieldPath path, Errors errors) {
    for (int i = 0; i < list(tolerations).size(); i++) {
      Toleration t = tolerations.get(i);
      FieldPath p = path.index(i);
      if (!MetadataValidation.isEmpty(t.getKey())) {
        errors.invalid(p.child("key"), t.getKey(), Syntax.qualifiedName(t.getKey()));
      } else if (!"Exists".equals(t.getOperator())) {
        // An empty key matches every taint, which only makes sense as "tolerate anything".
        errors.invalid(p.child("operator"), t.getOperator(), "operator must be Exists when `key` is empty, "
            + "which means \"match all values and all keys\"");
      }
      errors.oneOf(p.child("operator"), t.getOperator(), TOLERATION_OPERATORS);
      if ("Exists".equals(t.getOperator()) && !MetadataValidation.isEmpty(t.getValue())) {
        errors.invalid(p.child("operator"), t.getValue(), "value must be empty when `operator` is 'Exists'");
      }
      errors.oneOf(p.child("effect"), t.getEffect() == null || t.getEffect().isEmpty() ? null : t.getEffect(),
          TAINT_EFFECTS);
      if (t.getTolerationSeconds() != null && !"NoExecute".equals(t.getEffect())) {
        errors.invalid(p.child("effect"), t.getEffect(),
            "effect must be 'NoExecute' when `tolerationSeconds` is set");
      }
    }
  }

  static <T> List<T> list(List<T> maybe) {
    return maybe == null ? List.of() : maybe;
  }
}
