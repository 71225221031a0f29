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
   * Checks the body's fields against the kind's schema, as the request's fieldValidation
   * asks: Strict refuses unknown fields, Warn (the default, as in kube-apiserver) keeps
   * them and says so in Warning headers, Ignore keeps them silently.
   *
   * @param body the request body as JSON
   * @return the warnings to send, one per unknown field (empty unless Warn)
   * @throws ApiException 400 BadRequest naming every unknown field under Strict, 400 for an
   *     unknown fieldValidation value
   */
  static List<String> check(Map<String, List<String>> query, ResourceType type, byte[] body) {
    String directive = query.getOrDefault("fieldValidation", List.of("")).get(0);
    if (!List.of("", "Strict", "Warn", "Ignore").contains(directive)) {
      throw Statuses.badRequest("fieldValidation: Unsupported value: \"" + directive
          + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
    }
    if (directive.equals("Ignore") || body.length == 0) {
      return List.of();
    }
    JsonNode object;
    try {
      object = ObjectCodec.JSON.readTree(body);
    } catch (IOException e) {
      return List.of(); // not JSON: decoding the body refuses it with its own message
    }
    List<String> unknown = UNKNOWN_FIELDS.find(object,
        DefinitionNames.forKind(type.group(), type.version(), type.kind()));
    if (unknown.isEmpty()) {
      return List.of();
    }
    if (directive.equals("Strict")) {
      throw Statuses.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
          + type.kind() + ": strict decoding error: "
          + unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", ")));
    }
    return unknown.stream().map(f -> "unknown field \"" + f + "\"").toList();
  }

  /** The response with one Warning header per warning, in the form kubectl prints ({@code 299 - "text"}). */
  static ApiResponse withWarnings(ApiResponse response, List<String> warnings) {
    if (warnings.isEmpty()) {
      return response;
    }
    java.util.Map<String, String> headers = new java.util.HashMap<>(response.headers());
    // One header line may carry several warnings, comma-separated, as RFC 7234 allows.
    headers.put("Warning", warnings.stream().map(w -> "299 - \"" + w.replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(", ")));
    return new ApiResponse(response.code(), response.body(), response.contentType(), headers, response.stream());
  }
}
