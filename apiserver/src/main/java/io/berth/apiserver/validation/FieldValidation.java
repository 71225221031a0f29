package io.berth.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.Statuses;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fieldValidation query parameter of create, update and patch: what to do about
 * fields in the body that the kind does not have (usually a typo, like
 * "imagePullPolcy", that would otherwise be silently without effect).
 * Strict refuses the request with a 400, Warn (the default, as in Kubernetes) answers
 * with a warning per field, Ignore says nothing.
 */
public final class FieldValidation {
  public enum Mode { IGNORE, WARN, STRICT }

  private static final List<String> VALUES = List.of("Ignore", "Strict", "Warn");

  private FieldValidation() {}

  /**
   * Checks a request body (the object, or a merge patch, which is shaped like one) against
   * the kind's model class.
   *
   * @param verb "create", "update" or "patch": names the options kind in an error
   * @param json the body as JSON; a body that is not JSON is left to the decoder to refuse
   * @return the warnings to send (Warn mode), each {@code unknown field "spec.foo"}
   * @throws ApiException 400 in Strict mode when there are unknown fields; 422 for an unknown mode
   */
  public static List<String> check(Map<String, List<String>> query, String verb, ResourceType type, byte[] json) {
    Mode mode = mode(query, verb);
    if (mode == Mode.IGNORE || json.length == 0) {
      return List.of();
    }
    JsonNode tree;
    try {
      tree = ObjectCodec.JSON.readTree(json);
    } catch (IOException e) {
      return List.of();
    }
    if (tree == null || !tree.isObject()) {
      return List.of();
    }
    List<String> problems = UnknownFields.in(tree, type.modelClass()).stream()
        .map(path -> "unknown field \"" + path + "\"").toList();
    if (mode == Mode.STRICT && !problems.isEmpty()) {
      throw Statuses.badRequest("strict decoding error: " + String.join(", ", problems));
    }
    return problems;
  }

  static Mode mode(Map<String, List<String>> query, String verb) {
    List<String> values = query.get("fieldValidation");
    String value = values == null || values.isEmpty() ? "" : values.get(0);
    return switch (value) {
      case "" , "Warn" -> Mode.WARN;
      case "Strict" -> Mode.STRICT;
      case "Ignore" -> Mode.IGNORE;
      default -> throw unsupported(value, verb);
    };
  }

  /** As kube-apiserver refuses a bad option: the options kind (CreateOptions, ...) is invalid. */
  private static ApiException unsupported(String value, String verb) {
    String kind = verb.substring(0, 1).toUpperCase(Locale.ROOT) + verb.substring(1) + "Options";
    FieldError error = new FieldError(FieldError.Type.NOT_SUPPORTED, FieldPath.root("fieldValidation"), value,
        "supported values: " + String.join(", ", VALUES.stream().map(FieldError::quote).toList()));
    return new ApiException(422, "Invalid", kind + ".meta.k8s.io \"\" is invalid: " + error, "", "meta.k8s.io", kind,
        List.of(error.cause()));
  }
}
