package io.berth.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A delete's options (meta/v1 DeleteOptions), from its body or its query as
 * kube-apiserver takes them: grace period, preconditions and propagation policy.
 *
 * @param gracePeriodSeconds null when not given (the object's own default applies)
 * @param uid precondition: the object must have this uid (null: any)
 * @param resourceVersion precondition: the object must be at this version (null: any)
 * @param propagationPolicy Orphan, Background or Foreground; null when not given.
 *     Accepted and kept; the garbage collector (controllers) acts on dependents.
 */
public record DeleteOptions(Long gracePeriodSeconds, String uid, String resourceVersion, String propagationPolicy) {
  private static final Set<String> POLICIES = Set.of("Orphan", "Background", "Foreground");

  /** @throws ApiException 400 for a malformed body or option, as kube-apiserver answers */
  static DeleteOptions from(Map<String, List<String>> query, byte[] body) {
    JsonNode options = ObjectCodec.JSON.createObjectNode();
    if (body != null && body.length > 0) {
      try {
        options = ObjectCodec.JSON.readTree(body);
      } catch (IOException e) {
        throw Statuses.badRequest("the body of the request could not be decoded as DeleteOptions: " + e.getMessage());
      }
      if (options == null || !options.isObject()) {
        throw Statuses.badRequest("the body of a delete must be a DeleteOptions object");
      }
    }
    Long grace = options.hasNonNull("gracePeriodSeconds") ? Long.valueOf(options.get("gracePeriodSeconds").asLong())
        : longParam(query, "gracePeriodSeconds");
    if (grace != null && grace < 0) {
      // As kube-apiserver: a negative grace period means "now".
      grace = 0L;
    }
    String policy = options.hasNonNull("propagationPolicy") ? options.get("propagationPolicy").asText()
        : first(query, "propagationPolicy");
    if (policy != null && !POLICIES.contains(policy)) {
      throw Statuses.badRequest("propagationPolicy: Unsupported value: \"" + policy
          + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
    }
    if (policy == null && options.path("orphanDependents").isBoolean()) {
      policy = options.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
    }
    JsonNode preconditions = options.path("preconditions");
    return new DeleteOptions(grace, text(preconditions, "uid"), text(preconditions, "resourceVersion"), policy);
  }

  static DeleteOptions none() {
    return new DeleteOptions(null, null, null, null);
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) && !node.get(field).asText().isEmpty() ? node.get(field).asText() : null;
  }

  private static Long longParam(Map<String, List<String>> query, String name) {
    String value = first(query, name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw Statuses.badRequest(name + ": Invalid value: \"" + value + "\": must be an integer");
    }
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
