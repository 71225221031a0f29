package io.berth.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.openapi.DefinitionNames;
import io.berth.apiserver.openapi.KubernetesDefinitions;
import io.berth.apiserver.openapi.UnknownFields;
import io.berth.apiserver.registry.ResourceType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code fieldValidation} query parameter of writes. kubectl apply and create send
 * {@code Strict} and, because our OpenAPI documents say we honour it, skip their own
 * schema validation: so with Strict, a body with a field its kind does not define is
 * refused here, with kube-apiserver's words. Ignore and Warn (and no parameter) keep the
 * unknown fields, as before; Warn does not yet send Warning headers.
 */
final class FieldValidation {
  private static final UnknownFields UNKNOWN_FIELDS = new UnknownFields(KubernetesDefinitions.shared());

  private FieldValidation() {}

  /**
   * @param body the request body as JSON
   * @throws ApiException 400 BadRequest naming every unknown field, when Strict was asked for
   */
  static void check(Map<String, List<String>> query, ResourceType type, byte[] body) {
    String directive = query.getOrDefault("fieldValidation", List.of("")).get(0);
    if (!directive.equals("Strict") || body.length == 0) {
      return;
    }
    JsonNode object;
    try {
      object = ObjectCodec.JSON.readTree(body);
    } catch (IOException e) {
      return; // not JSON: decoding the body refuses it with its own message
    }
    List<String> unknown = UNKNOWN_FIELDS.find(object,
        DefinitionNames.forKind(type.group(), type.version(), type.kind()));
    if (!unknown.isEmpty()) {
      throw Statuses.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
          + type.kind() + ": strict decoding error: "
          + unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", ")));
    }
  }
}
