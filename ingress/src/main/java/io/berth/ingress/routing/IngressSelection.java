package io.berth.ingress.routing;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import java.util.Collection;
import java.util.Map;

/**
 * Which Ingresses this router serves: those whose {@code spec.ingressClassName} (or the older
 * {@code kubernetes.io/ingress.class} annotation) names its class, and those naming no class
 * when the IngressClass of that name is marked the default class.
 */
final class IngressSelection {
  static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
  static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

  private final String className;
  private final boolean isDefaultClass;

  IngressSelection(String className, Collection<IngressClass> classes) {
    this.className = className;
    this.isDefaultClass = classes.stream().anyMatch(c -> className.equals(c.getMetadata().getName())
        && c.getMetadata().getAnnotations() != null
        && "true".equals(c.getMetadata().getAnnotations().get(DEFAULT_CLASS_ANNOTATION)));
  }

  boolean serves(Ingress ingress) {
    String named = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
    if (named == null) {
      Map<String, String> annotations = ingress.getMetadata().getAnnotations();
      named = annotations == null ? null : annotations.get(LEGACY_CLASS_ANNOTATION);
    }
    return named == null ? isDefaultClass : className.equals(named);
  }
}
