package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassParametersReference;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.List;
import java.util.Set;

/**
 * Ingresses (host and path rules routed to service ports, which our ingress router reads
 * literally, so an ambiguous rule is refused here rather than guessed at there) and
 * IngressClasses (which controller serves an ingress).
 */
final class IngressValidation {
  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final Set<String> PATH_TYPES = Set.of("Exact", "Prefix", "ImplementationSpecific");
  /** Sequences that would let a Prefix or Exact path mean something else once normalized. */
  private static final List<String> UNNORMALIZED = List.of("//", "/./", "/../", "%2f", "%2F");
  private static final Set<String> PARAMETER_SCOPES = Set.of("Cluster", "Namespace");
  private static final int MAX_CONTROLLER_LENGTH = 250;

  private IngressValidation() {}

  static void ingress(Ingress ingress, Errors errors) {
    IngressSpec spec = ingress.getSpec();
    List<IngressRule> rules = spec == null ? List.of() : PodSpecValidation.list(spec.getRules());
    if (spec == null || (rules.isEmpty() && spec.getDefaultBackend() == null)) {
      errors.invalid(SPEC, "", "either `defaultBackend` or `rules` must be specified");
      return;
    }
    if (spec.getDefaultBackend() != null) {
      backend(spec.getDefaultBackend(), SPEC.child("defaultBackend"), errors);
    }
    if (spec.getIngressClassName() != null) {
      errors.invalid(SPEC.child("ingressClassName"), spec.getIngressClassName(),
          Syntax.dns1123Subdomain(spec.getIngressClassName()));
    }
    for (int i = 0; i < rules.size(); i++) {
      rule(rules.get(i), SPEC.child("rules").index(i), errors);
    }
    List<IngressTLS> tls = PodSpecValidation.list(spec.getTls());
    for (int i = 0; i < tls.size(); i++) {
      List<String> hosts = PodSpecValidation.list(tls.get(i).getHosts());
      for (int j = 0; j < hosts.size(); j++) {
        errors.invalid(SPEC.child("tls").index(i).child("hosts").index(j), hosts.get(j),
            Syntax.wildcardSubdomain(hosts.get(j)));
      }
    }
  }

  private static void rule(IngressRule rule, FieldPath path, Errors errors) {
    String host = rule.getHost();
    if (!MetadataValidation.isEmpty(host)) {
      if (Syntax.isIpv4(host)) {
        errors.invalid(path.child("host"), host, "must be a DNS name, not an IP address");
      } else {
        errors.invalid(path.child("host"), host, Syntax.wildcardSubdomain(host));
      }
    }
    if (rule.getHttp() == null) {
      return;
    }
    List<HTTPIngressPath> paths = PodSpecValidation.list(rule.getHttp().getPaths());
    FieldPath pathsPath = path.child("http").child("paths");
    if (paths.isEmpty()) {
      errors.required(pathsPath, "");
    }
    for (int i = 0; i < paths.size(); i++) {
      httpPath(paths.get(i), pathsPath.index(i), errors);
    }
  }

  private static void httpPath(HTTPIngressPath p, FieldPath path, Errors errors) {
    String type = p.getPathType();
    String value = p.getPath() == null ? "" : p.getPath();
    if (MetadataValidation.isEmpty(type)) {
      errors.required(path.child("pathType"), "pathType must be specified");
    } else {
      errors.oneOf(path.child("pathType"), type, PATH_TYPES);
    }
    if (!value.isEmpty() && !value.startsWith("/")) {
      errors.invalid(path.child("path"), value, "must be an absolute path");
    } else if (("Exact".equals(type) || "Prefix".equals(type))) {
      if (value.isEmpty()) {
        errors.invalid(path.child("path"), value, "must be an absolute path");
      }
      for (String seq : UNNORMALIZED) {
        if (value.contains(seq)) {
          errors.invalid(path.child("path"), value, "must not contain '" + seq + "'");
        }
      }
      if (value.endsWith("/..") || value.endsWith("/.")) {
        errors.invalid(path.child("path"), value, "cannot end with '" + value.substring(value.lastIndexOf('/')) + "'");
      }
    }
    if (p.getBackend() == null) {
      errors.required(path.child("backend"), "");
    } else {
      backend(p.getBackend(), path.child("backend"), errors);
    }
  }

  /** A backend is a service port (by number or name) or a resource reference, never both. */
  private static void backend(IngressBackend backend, FieldPath path, Errors errors) {
    IngressServiceBackend service = backend.getService();
    if (service != null && backend.getResource() != null) {
      errors.invalid(path, "", "cannot set both resource and service backends");
      return;
    }
    if (service == null) {
      if (backend.getResource() == null) {
        errors.invalid(path, "", "resource or service backend is required");
      }
      return;
    }
    FieldPath servicePath = path.child("service");
    if (MetadataValidation.isEmpty(service.getName())) {
      errors.required(servicePath.child("name"), "");
    } else {
      errors.invalid(servicePath.child("name"), service.getName(), Syntax.dns1035Label(service.getName()));
    }
    FieldPath portPath = servicePath.child("port");
    boolean hasName = service.getPort() != null && !MetadataValidation.isEmpty(service.getPort().getName());
    boolean hasNumber = service.getPort() != null && service.getPort().getNumber() != null
        && service.getPort().getNumber() != 0;
    if (hasName && hasNumber) {
      errors.invalid(portPath, "", "cannot set both port name & port number");
    } else if (hasName) {
      errors.invalid(portPath.child("name"), service.getPort().getName(), Syntax.portName(service.getPort().getName()));
    } else if (hasNumber) {
      errors.port(portPath.child("number"), service.getPort().getNumber());
    } else {
      errors.required(portPath, "port name or number is required");
    }
  }

  static void ingressClass(IngressClass ingressClass, Errors errors) {
    String controller = ingressClass.getSpec() == null ? null : ingressClass.getSpec().getController();
    FieldPath controllerPath = SPEC.child("controller");
    if (MetadataValidation.isEmpty(controller)) {
      errors.required(controllerPath, "");
    } else {
      if (controller.length() > MAX_CONTROLLER_LENGTH) {
        errors.tooLong(controllerPath, MAX_CONTROLLER_LENGTH);
      }
      domainPrefixedPath(controller, controllerPath, errors);
    }
    IngressClassParametersReference parameters = ingressClass.getSpec() == null ? null
        : ingressClass.getSpec().getParameters();
    if (parameters != null) {
      FieldPath p = SPEC.child("parameters");
      if (MetadataValidation.isEmpty(parameters.getKind())) {
        errors.required(p.child("kind"), "");
      }
      if (MetadataValidation.isEmpty(parameters.getName())) {
        errors.required(p.child("name"), "");
      }
      String scope = parameters.getScope() == null ? "Cluster" : parameters.getScope();
      errors.oneOf(p.child("scope"), scope, PARAMETER_SCOPES);
      if (scope.equals("Namespace") && MetadataValidation.isEmpty(parameters.getNamespace())) {
        errors.required(p.child("namespace"), "`parameters.scope` is set to 'Namespace'");
      } else if (scope.equals("Cluster") && !MetadataValidation.isEmpty(parameters.getNamespace())) {
        errors.forbidden(p.child("namespace"), "`parameters.scope` is set to 'Cluster'");
      }
    }
  }

  /** Which controller serves a class is decided once: controllers do not hand classes over. */
  static void ingressClassUpdate(IngressClass updated, IngressClass old, Errors errors) {
    String after = updated.getSpec() == null ? null : updated.getSpec().getController();
    String before = old.getSpec() == null ? null : old.getSpec().getController();
    MetadataValidation.immutable(SPEC.child("controller"), after, before, errors);
  }

  /** "example.com/ingress-controller": a DNS subdomain, then a non-empty path. */
  private static void domainPrefixedPath(String value, FieldPath path, Errors errors) {
    int slash = value.indexOf('/');
    if (slash < 0) {
      errors.invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")");
      return;
    }
    errors.invalid(path, value.substring(0, slash), Syntax.dns1123Subdomain(value.substring(0, slash)));
    if (slash == value.length() - 1) {
      errors.invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")");
    }
  }
}
