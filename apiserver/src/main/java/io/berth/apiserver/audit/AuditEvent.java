package io.berth.apiserver.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.access.UserInfo;
import java.time.Instant;

/**
 * One audited request, in the shape of Kubernetes' audit.k8s.io/v1 Event at level
 * Metadata (who, what, on which object, with which result, when; no bodies), stage
 * ResponseComplete.
 *
 * @param user null when the request was refused before anyone was authenticated (401)
 * @param resource null for a request that names no resource
 */
public record AuditEvent(String auditId, String requestUri, String verb, UserInfo user, String userAgent,
    String apiGroup, String apiVersion, String resource, String subresource, String namespace, String name,
    int code, Instant received, Instant completed) {

  ObjectNode toJson() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode event = json.objectNode();
    event.put("kind", "Event");
    event.put("apiVersion", "audit.k8s.io/v1");
    event.put("level", "Metadata");
    event.put("auditID", auditId);
    event.put("stage", "ResponseComplete");
    event.put("requestURI", requestUri);
    event.put("verb", verb);
    ObjectNode who = event.putObject("user");
    if (user != null) {
      who.put("username", user.name());
      user.groups().forEach(who.putArray("groups")::add);
    }
    if (userAgent != null) {
      event.put("userAgent", userAgent);
    }
    if (resource != null) {
      ObjectNode ref = event.putObject("objectRef");
      ref.put("resource", resource);
      putIfPresent(ref, "namespace", namespace);
      putIfPresent(ref, "name", name);
      ref.put("apiGroup", apiGroup);
      ref.put("apiVersion", apiVersion);
      putIfPresent(ref, "subresource", subresource);
    }
    ObjectNode status = event.putObject("responseStatus");
    status.putObject("metadata");
    status.put("code", code);
    event.put("requestReceivedTimestamp", received.toString());
    event.put("stageTimestamp", completed.toString());
    return event;
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
