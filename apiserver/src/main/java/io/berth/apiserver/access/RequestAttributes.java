package io.berth.apiserver.access;

/**
 * What a request asks to do, in the terms authorization decides on (Kubernetes'
 * authorizer.Attributes): who, which verb, on which resource, where; or, for a request
 * that is not for a resource (discovery, /openapi/v3, /version), which path.
 *
 * @param verb get, list, watch, create, update, patch, delete or deletecollection; for a
 *     non-resource request the HTTP method in lower case (get, post, ...)
 * @param apiGroup "" for the core group
 * @param resource null for a non-resource request
 * @param subresource null unless the request is for one (status, scale, binding, ...)
 * @param namespace null for cluster-scoped resources and cross-namespace lists
 * @param name null for collections
 * @param path the request path of a non-resource request, else null
 */
public record RequestAttributes(UserInfo user, String verb, String apiGroup, String resource, String subresource,
    String namespace, String name, String path) {

  /** A request for a resource. */
  public RequestAttributes(UserInfo user, String verb, String apiGroup, String resource, String subresource,
      String namespace, String name) {
    this(user, verb, apiGroup, resource, subresource, namespace, name, null);
  }

  /** A request for a path that names no resource. */
  public static RequestAttributes nonResource(UserInfo user, String verb, String path) {
    return new RequestAttributes(user, verb, "", null, null, null, null, path);
  }

  public boolean isResourceRequest() {
    return resource != null;
  }

  /** The resource as RBAC names it: "pods", or "pods/status" for a subresource. */
  public String resourceWithSubresource() {
    return subresource == null ? resource : resource + "/" + subresource;
  }
}
