package io.berth.apiserver.access;

/**
 * What a request asks to do, in the terms authorization decides on (Kubernetes'
 * authorizer.Attributes): who, which verb, on which resource, where.
 *
 * @param verb get, list, watch, create, update, patch, delete or deletecollection
 * @param apiGroup "" for the core group
 * @param subresource null unless the request is for one (status, scale, binding, ...)
 * @param namespace null for cluster-scoped resources and cross-namespace lists
 * @param name null for collections
 */
public record RequestAttributes(UserInfo user, String verb, String apiGroup, String resource, String subresource,
    String namespace, String name) {

  /** The resource as RBAC names it: "pods", or "pods/status" for a subresource. */
  public String resourceWithSubresource() {
    return subresource == null ? resource : resource + "/" + subresource;
  }
}
