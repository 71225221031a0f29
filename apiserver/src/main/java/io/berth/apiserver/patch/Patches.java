package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.berth.apiserver.patch.Shape.Struct;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.Statuses;
import java.io.IOException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The one door to every patch type: reads the body the Content-Type names, applies it
 * to the live object, records managedFields, and refuses with the errors
 * kube-apiserver gives:
 * <ul>
 *   <li>415 for a Content-Type that is no patch type;
 *   <li>422 (PatchOptions invalid) for an apply without fieldManager, or force on another type;
 *   <li>400 for a body that is not a patch of its type (not JSON, not an array, bad directives);
 *   <li>413 for a JSON patch of more than 10,000 operations;
 *   <li>422 for a patch that does not apply (a failed JSON patch test, a missing path);
 *   <li>409 Conflict, causes naming each field and manager, for an apply that would change
 *       fields other managers own, unless forced.
 * </ul>
 * Pure apart from the clock: no storage, no HTTP.
 */
public final class Patches {
  /** kube-apiserver's limit on JSON patch operations in one request. */
  static final int MAX_JSON_PATCH_OPERATIONS = 10_000;
  /** kube-apiserver's limit on the length of a fieldManager. */
  static final int MAX_FIELD_MANAGER_LENGTH = 128;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private Patches() {}

  /**
   * The live object with the patch applied, managedFields updated: for an apply, the
   * applier's Apply entry; for the other types, an Update entry of the fieldManager
   * (when one is given). Server-owned metadata (uid, resourceVersion, ...) is left as
   * the patch made it; the caller's usual update rules apply to the result.
   *
   * @throws ApiException as listed on the class
   */
  public static JsonNode apply(PatchRequest request) {
    PatchType type = PatchType.of(request.contentType())
        .orElseThrow(() -> Statuses.unsupportedMediaType(request.contentType()));
    checkOptions(type, request.fieldManager(), request.force());
    JsonNode live = request.live() == null || request.live().isMissingNode()
        ? JsonNodeFactory.instance.objectNode() : request.live();
    String time = now(request.clock());
    try {
      if (type == PatchType.APPLY) {
        ObjectNode config = appliedConfiguration(request);
        return ServerSideApply.apply(live, config, request.schema(), request.fieldManager(), request.force(), time);
      }
      JsonNode patched = switch (type) {
        case JSON_PATCH -> JsonPatch.apply(live, jsonPatch(request.body()));
        case MERGE_PATCH -> JsonMergePatch.apply(live, jsonObject(request.body(), "a merge patch"));
        default -> StrategicMergePatch.apply(live, jsonObject(request.body(), "a strategic merge patch"),
            request.schema());
      };
      if (!(patched instanceof ObjectNode object)) {
        throw PatchFailure.notApplicable("the patched document is not an object");
      }
      if (request.fieldManager() != null) {
        UpdateOwnership.record(live, object, request.fieldManager(), request.schema(), time);
      }
      return object;
    } catch (PatchFailure f) {
      throw f.kind() == PatchFailure.Kind.MALFORMED ? Statuses.badRequest(f.getMessage())
          : Statuses.patchNotApplicable(f.getMessage());
    } catch (ApplyConflictException e) {
      List<ApiException.Cause> causes = new ArrayList<>();
      e.conflicts().forEach(c -> causes.add(new ApiException.Cause("FieldManagerConflict",
          "conflict with " + c.owner().describe(), c.path().toString())));
      throw Statuses.applyConflict(e.getMessage(), causes);
    }
  }

  /**
   * Records managedFields for a create or an update (operation Update): {@code manager}
   * owns what it added or changed, other managers lose it. The managedFields of {@code
   * updated} are replaced by those computed from {@code old}.
   *
   * @param old the object before the write; null (or empty) for a create
   */
  public static void recordUpdate(JsonNode old, ObjectNode updated, String manager, Struct schema, Clock clock) {
    UpdateOwnership.record(old == null ? JsonNodeFactory.instance.objectNode() : old, updated, manager, schema,
        now(clock));
  }

  /**
   * The field manager of a write that names none, as kube-apiserver derives it: the
   * User-Agent up to its first "/" ("kubectl" from "kubectl/v1.33.0 (linux/amd64)"),
   * "unknown" without one.
   */
  public static String defaultFieldManager(String userAgent) {
    String prefix = userAgent == null ? "" : userAgent.split("/", 2)[0].trim();
    prefix = prefix.isEmpty() ? "unknown" : prefix;
    return prefix.length() > MAX_FIELD_MANAGER_LENGTH ? prefix.substring(0, MAX_FIELD_MANAGER_LENGTH) : prefix;
  }

  private static void checkOptions(PatchType type, String fieldManager, boolean force) {
    List<ApiException.Cause> causes = new ArrayList<>();
    if (type == PatchType.APPLY && (fieldManager == null || fieldManager.isEmpty())) {
      causes.add(new ApiException.Cause("FieldValueRequired", "Required value: is required for apply patch",
          "fieldManager"));
    }
    if (fieldManager != null && fieldManager.length() > MAX_FIELD_MANAGER_LENGTH) {
      causes.add(new ApiException.Cause("FieldValueTooLong", "Too long: may not be more than "
          + MAX_FIELD_MANAGER_LENGTH + " bytes", "fieldManager"));
    }
    if (force && type != PatchType.APPLY) {
      causes.add(new ApiException.Cause("FieldValueForbidden", "Forbidden: may not be specified for non-apply patch",
          "force"));
    }
    if (!causes.isEmpty()) {
      throw Statuses.invalidOptions("PatchOptions", causes);
    }
  }

  private static ArrayNode jsonPatch(byte[] body) {
    JsonNode operations = readJson(body, "a JSON patch");
    if (!(operations instanceof ArrayNode array)) {
      throw PatchFailure.malformed("a JSON patch must be a JSON array of operations");
    }
    if (array.size() > MAX_JSON_PATCH_OPERATIONS) {
      throw Statuses.tooManyPatchOperations(MAX_JSON_PATCH_OPERATIONS, array.size());
    }
    return array;
  }

  private static ObjectNode jsonObject(byte[] body, String what) {
    if (readJson(body, what) instanceof ObjectNode object) {
      return object;
    }
    throw PatchFailure.malformed(what + " of an object must be a JSON object");
  }

  private static JsonNode readJson(byte[] body, String what) {
    try {
      JsonNode tree = JSON.readTree(body);
      if (tree == null || tree.isMissingNode()) {
        throw PatchFailure.malformed(what + " must not be empty");
      }
      return tree;
    } catch (IOException e) {
      throw PatchFailure.malformed("the patch could not be decoded as JSON: " + firstLine(e));
    }
  }

  /** An apply body, YAML or JSON (JSON is YAML, but read as JSON to keep its exact numbers). */
  private static ObjectNode appliedConfiguration(PatchRequest request) {
    JsonNode config;
    String text = new String(request.body(), java.nio.charset.StandardCharsets.UTF_8).stripLeading();
    try {
      config = text.startsWith("{") ? JSON.readTree(text) : YAML.readTree(text);
    } catch (IOException e) {
      throw PatchFailure.malformed("error decoding YAML: " + firstLine(e));
    }
    if (!(config instanceof ObjectNode object)) {
      throw PatchFailure.malformed("the applied configuration must be an object");
    }
    requireMatching(object, "apiVersion", request.apiVersion());
    requireMatching(object, "kind", request.kind());
    return object;
  }

  private static void requireMatching(ObjectNode config, String field, String expected) {
    String given = config.path(field).asText("");
    if (given.isEmpty()) {
      throw PatchFailure.malformed("the applied configuration has no " + field + "; apply requires it");
    }
    if (!given.equals(expected)) {
      throw PatchFailure.malformed("the " + field + " of the applied configuration (" + given
          + ") does not match the " + field + " of the URL (" + expected + ")");
    }
  }

  private static String now(Clock clock) {
    return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
  }

  private static String firstLine(IOException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
  }
}
