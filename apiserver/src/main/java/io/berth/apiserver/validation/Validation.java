package io.berth.apiserver.validation;

import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.Statuses;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;

/**
 * Whether an object may be stored, as kube-apiserver's validation decides it: the rules
 * every object shares (metadata) and each kind's own, all errors collected and answered at
 * once as a 422 Invalid Status whose causes name each field. Runs after defaulting, on what
 * would be stored.
 *
 * <p>The rules per kind are the table below; each row names the kind's name syntax, its
 * rules for any object, and what may not change on an update.
 */
public final class Validation {
  private static final KindRules<HasMetadata> NO_RULES =
      new KindRules<>(HasMetadata.class, NameRule.DNS1123_SUBDOMAIN, (o, e) -> { }, (n, o, e) -> { });

  private static final Map<String, KindRules<?>> BY_KIND = Map.ofEntries(
      row("Namespace", Namespace.class, NameRule.DNS1123_LABEL, NodeValidation::namespace, KindRules.none()),
      row("ConfigMap", ConfigMap.class, NameRule.DNS1123_SUBDOMAIN, ConfigValidation::configMap,
          ConfigValidation::configMapUpdate),
      row("Secret", Secret.class, NameRule.DNS1123_SUBDOMAIN, ConfigValidation::secret, ConfigValidation::secretUpdate),
      row("Pod", Pod.class, NameRule.DNS1123_SUBDOMAIN, PodValidation::validate, PodValidation::validateUpdate),
      row("Service", Service.class, NameRule.DNS1035_LABEL, ServiceValidation::service, ServiceValidation::serviceUpdate),
      row("Node", Node.class, NameRule.DNS1123_SUBDOMAIN, NodeValidation::node, KindRules.none()),
      row("Endpoints", Endpoints.class, NameRule.DNS1123_SUBDOMAIN, ServiceValidation::endpoints, KindRules.none()),
      row("Event", Event.class, NameRule.DNS1123_SUBDOMAIN, EventValidation::event, KindRules.none()),
      row("Deployment", Deployment.class, NameRule.DNS1123_SUBDOMAIN, WorkloadValidation::deployment,
          WorkloadValidation::deploymentUpdate),
      row("ReplicaSet", ReplicaSet.class, NameRule.DNS1123_SUBDOMAIN, WorkloadValidation::replicaSet,
          WorkloadValidation::replicaSetUpdate),
      row("Ingress", Ingress.class, NameRule.DNS1123_SUBDOMAIN, IngressValidation::ingress, KindRules.none()),
      row("IngressClass", IngressClass.class, NameRule.DNS1123_SUBDOMAIN, IngressValidation::ingressClass,
          IngressValidation::ingressClassUpdate),
      row("Lease", Lease.class, NameRule.DNS1123_SUBDOMAIN, LeaseValidation::lease, KindRules.none()),
      row("Role", Role.class, NameRule.PATH_SEGMENT, RbacValidation::role, KindRules.none()),
      row("ClusterRole", ClusterRole.class, NameRule.PATH_SEGMENT, RbacValidation::clusterRole, KindRules.none()),
      row("RoleBinding", RoleBinding.class, NameRule.PATH_SEGMENT, RbacValidation::roleBinding,
          RbacValidation::roleBindingUpdate),
      row("ClusterRoleBinding", ClusterRoleBinding.class, NameRule.PATH_SEGMENT, RbacValidation::clusterRoleBinding,
          RbacValidation::clusterRoleBindingUpdate));

  private Validation() {}

  /**
   * Checks a new object, after its metadata was prepared and its defaults applied.
   *
   * @throws ApiException 422 Invalid listing every field at fault
   */
  public static void validateCreate(ResourceType type, HasMetadata object) {
    throwIfAny(type, object, errorsOnCreate(type, object));
  }

  /**
   * Checks a replacement of {@code old}: everything a new object must satisfy, and that nothing
   * immutable changed.
   *
   * @throws ApiException 422 Invalid listing every field at fault
   */
  public static void validateUpdate(ResourceType type, HasMetadata updated, HasMetadata old) {
    Errors errors = errorsOnCreate(type, updated);
    MetadataValidation.validateUpdate(updated.getMetadata(), old.getMetadata(), errors);
    rules(type).checkUpdate(updated, old, errors);
    throwIfAny(type, updated, errors);
  }

  /** The errors alone, for tests and callers that report them otherwise. */
  static List<FieldError> errorsOf(ResourceType type, HasMetadata object) {
    return errorsOnCreate(type, object).list();
  }

  private static Errors errorsOnCreate(ResourceType type, HasMetadata object) {
    Errors errors = new Errors();
    KindRules<?> rules = rules(type);
    MetadataValidation.validate(object.getMetadata(), type.namespaced(), rules.names(), errors);
    rules.check(object, errors);
    return errors;
  }

  private static void throwIfAny(ResourceType type, HasMetadata object, Errors errors) {
    if (!errors.isEmpty()) {
      String name = object.getMetadata() == null ? null : object.getMetadata().getName();
      throw Statuses.invalid(type, name, errors.list().stream().map(FieldError::cause).toList());
    }
  }

  private static KindRules<?> rules(ResourceType type) {
    return BY_KIND.getOrDefault(type.kind(), NO_RULES);
  }

  private static <T extends HasMetadata> Map.Entry<String, KindRules<?>> row(String kind, Class<T> modelClass,
      NameRule names, KindRules.ObjectRule<T> object, KindRules.UpdateRule<T> update) {
    return Map.entry(kind, new KindRules<>(modelClass, names, object, update));
  }
}
