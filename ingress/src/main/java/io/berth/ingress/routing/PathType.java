package io.berth.ingress.routing;

/**
 * How an Ingress path matches a request path, as networking.k8s.io/v1 defines it.
 * ImplementationSpecific is matched as Prefix here (Berth's choice, documented in the README).
 */
public enum PathType {
  EXACT,
  PREFIX;

  /** The pathType field's value; null and unknown values are refused by the API server, read here as Prefix. */
  static PathType of(String pathType) {
    return "Exact".equals(pathType) ? EXACT : PREFIX;
  }
}
