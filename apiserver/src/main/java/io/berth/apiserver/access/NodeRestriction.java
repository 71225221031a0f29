package io.berth.apiserver.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.RequestBodies;
import java.io.IOException;

/**
 * The part of Kubernetes' NodeRestriction admission that needs the request body: an agent
 * may create only the Node and the node Lease named after itself. Worded as Kubernetes
 * words the refusals. (Everything else a node may do is decided by {@link NodeAuthorizer}.)
 */
public final class NodeRestriction {
  private NodeRestriction() {}

  /** @throws ApiException 403 when a node creates a Node or Lease under another name */
  public static void admit(RequestAttributes r, ApiRequest request) {
    String node = NodeAuthorizer.nodeName(r.user());
    if (node == null || !r.verb().equals("create") || r.subresource() != null) {
      return;
    }
    boolean nodeObject = r.apiGroup().isEmpty() && "nodes".equals(r.resource());
    boolean lease = r.apiGroup().equals("coordination.k8s.io") && "leases".equals(r.resource());
    if (!nodeObject && !lease) {
      return;
    }
    String name = nameIn(request);
    if (node.equals(name)) {
      return;
    }
    String shown = name == null ? "" : name;
    String message = nodeObject
        ? "nodes \"" + shown + "\" is forbidden: node \"" + node + "\" is not allowed to modify node \"" + shown + "\""
        : "leases.coordination.k8s.io \"" + shown + "\" is forbidden: can only access node lease with the same name "
            + "as the requesting node";
    throw new ApiException(403, "Forbidden", message, name, lease ? "coordination.k8s.io" : null, r.resource());
  }

  private static String nameIn(ApiRequest request) {
    try {
      JsonNode body = ObjectCodec.JSON.readTree(RequestBodies.asJson(request.contentType(), request.body()));
      return body == null ? null : body.at("/metadata/name").textValue();
    } catch (IOException e) {
      return null; // the handler answers the malformed body
    }
  }
}
