package io.berth.apiserver.rest;

import io.berth.apiserver.access.RequestAttributes;
import io.berth.apiserver.registry.ResourceType;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The errors of the API, worded as kube-apiserver words them (k8s.io/apimachinery's
 * errors package), since kubectl prints them verbatim and users search for them.
 */
public final class Statuses {
  private Statuses() {}

  public static ApiException notFound(ResourceType type, String name) {
    return new ApiException(404, "NotFound", qualified(type) + " \"" + name + "\" not found",
        name, emptyToNull(type.group()), type.plural());
  }

  public static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(409, "AlreadyExists", qualified(type) + " \"" + name + "\" already exists",
        name, emptyToNull(type.group()), type.plural());
  }

  public static ApiException conflict(ResourceType type, String name) {
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(type) + " \"" + name
        + "\": the object has been modified; please apply your changes to the latest version and try again",
        name, emptyToNull(type.group()), type.plural());
  }

  public static ApiException invalid(ResourceType type, String name, String message) {
    return invalid(type, name, message, List.of());
  }

  /**
   * An invalid object, as kube-apiserver words it: {@code Deployment.apps "web" is invalid: <error>}, or
   * with several errors {@code ... is invalid: [<error>, <error>]}, each error being
   * {@code <field>: <cause message>}. details.kind is the kind here, not the resource.
   */
  public static ApiException invalid(ResourceType type, String name, List<ApiException.Cause> causes) {
    List<String> errors = causes.stream().map(c -> c.field() + ": " + c.message()).toList();
    String message = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    return invalid(type, name, message, causes);
  }

  private static ApiException invalid(ResourceType type, String name, String message, List<ApiException.Cause> causes) {
    String qualifiedKind = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
    return new ApiException(422, "Invalid", qualifiedKind + " \"" + (name == null ? "" : name) + "\" is invalid: "
        + message, name, emptyToNull(type.group()), type.kind(), causes);
  }

  /**
   * A patch that is well formed but cannot be applied (a JSON patch "test" that fails, a
   * path that does not exist). kube-apiserver answers these with a generic 422 whose
   * message is always the same; the real reason travels as the only cause.
   */
  public static ApiException patchNotApplicable(String why) {
    return new ApiException(422, "Invalid", "the server rejected our request due to an error in our request",
        null, null, null, List.of(new ApiException.Cause("UnexpectedServerResponse", why, null)));
  }

  /**
   * Request options that are invalid, as kube-apiserver words them, e.g. {@code
   * PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch}.
   *
   * @param causes each with its reason (FieldValueRequired, FieldValueForbidden, ...), message and field
   */
  public static ApiException invalidOptions(String kind, List<ApiException.Cause> causes) {
    StringBuilder message = new StringBuilder(kind + ".meta.k8s.io \"\" is invalid: ");
    if (causes.size() > 1) {
      message.append('[');
    }
    for (int i = 0; i < causes.size(); i++) {
      ApiException.Cause c = causes.get(i);
      message.append(i == 0 ? "" : ", ").append(c.field()).append(": ").append(c.message());
    }
    if (causes.size() > 1) {
      message.append(']');
    }
    return new ApiException(422, "Invalid", message.toString(), "", "meta.k8s.io", kind, causes);
  }

  /**
   * A server-side apply that would change fields other managers own.
   *
   * @param message the summary, e.g. {@code Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas}
   * @param causes one FieldManagerConflict per field and manager
   */
  public static ApiException applyConflict(String message, List<ApiException.Cause> causes) {
    return new ApiException(409, "Conflict", message, null, null, null, causes);
  }

  public static ApiException forbidden(ResourceType type, String name, String why) {
    return new ApiException(403, "Forbidden", qualified(type) + " \"" + name + "\" is forbidden: " + why,
        name, emptyToNull(type.group()), type.plural());
  }

  /**
   * An authorization refusal, worded as kube-apiserver words it: {@code pods "p" is
   * forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default"}.
   */
  public static ApiException forbidden(RequestAttributes a, String reason) {
    String why = reason == null || reason.isEmpty() ? "" : ": " + reason;
    if (!a.isResourceRequest()) {
      return new ApiException(403, "Forbidden", "forbidden: User \"" + a.user().name() + "\" cannot " + a.verb()
          + " path \"" + a.path() + "\"" + why);
    }
    // Named as Kubernetes names it: the group resource, without the subresource ("pods", "leases.coordination.k8s.io").
    String resource = a.resourceWithSubresource();
    String groupResource = a.apiGroup().isEmpty() ? a.resource() : a.resource() + "." + a.apiGroup();
    String what = a.name() == null ? groupResource : groupResource + " \"" + a.name() + "\"";
    String where = a.namespace() == null ? " at the cluster scope" : " in the namespace \"" + a.namespace() + "\"";
    String message = what + " is forbidden: User \"" + a.user().name() + "\" cannot " + a.verb() + " resource \""
        + resource + "\" in API group \"" + a.apiGroup() + "\"" + where + why;
    return new ApiException(403, "Forbidden", message, a.name(), emptyToNull(a.apiGroup()), a.resource());
  }

  /** A request whose credentials are missing (where anonymous requests are refused), unknown or malformed. */
  public static ApiException unauthorized() {
    return new ApiException(401, "Unauthorized", "Unauthorized");
  }

  public static ApiException requestTooLarge(int limitBytes) {
    return new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is " + limitBytes);
  }

  /** A JSON patch with more operations than kube-apiserver allows in one request. */
  public static ApiException tooManyPatchOperations(int limit, int given) {
    return new ApiException(413, "RequestEntityTooLarge", "Request entity too large: The allowed maximum operations in a "
        + "JSON patch is " + limit + ", got " + given);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message);
  }

  /** A path the server does not serve (as kube-apiserver answers an unknown resource). */
  public static ApiException pathNotFound() {
    return new ApiException(404, "NotFound", "the server could not find the requested resource");
  }

  public static ApiException methodNotSupported(ResourceType type, String verb) {
    return new ApiException(405, "MethodNotAllowed", verb + " is not supported on resources of kind \""
        + qualified(type) + "\"", null, emptyToNull(type.group()), type.plural());
  }

  /** A body in a format this server does not read (kubectl's typed clients try protobuf first). */
  public static ApiException unsupportedMediaType(String contentType) {
    return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format ("
        + contentType + ") - accepted media types include: application/json");
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, "ServiceUnavailable", message);
  }

  public static ApiException internal(String message) {
    return new ApiException(500, "InternalError", "Internal error occurred: " + message);
  }

  /** A resourceVersion the server no longer has (410 Gone, reason Expired): the client relists. */
  public static ApiException expired(String message) {
    return new ApiException(410, "Expired", message);
  }

  /** A continue token whose revision has been compacted away, worded as kube-apiserver words it. */
  public static ApiException continueExpired() {
    return expired("The provided continue parameter is too old to display a consistent list result. You can start "
        + "a new list without the continue parameter.");
  }

  /** A resourceVersion this replica has not reached in time (504, reason Timeout): the client retries. */
  public static ApiException tooLargeResourceVersion(long requested, long current) {
    return new ApiException(504, "Timeout", "Too large resource version: " + requested + ", current: " + current);
  }

  /** The Status object for an error: kind Status, apiVersion v1, status Failure. */
  public static Status toStatus(ApiException e) {
    Status status = new Status();
    status.setApiVersion("v1");
    status.setKind("Status");
    status.setMetadata(new ListMeta());
    status.setStatus("Failure");
    status.setMessage(e.getMessage());
    status.setReason(e.reason());
    status.setCode(e.code());
    if (e.name() != null || e.group() != null || e.kind() != null || !e.causes().isEmpty()) {
      StatusDetails details = new StatusDetails();
      details.setName(e.name());
      details.setGroup(e.group());
      details.setKind(e.kind());
      if (!e.causes().isEmpty()) {
        details.setCauses(e.causes().stream()
            .map(c -> new StatusCause(c.field(), c.message(), c.reason()))
            .collect(Collectors.toCollection(ArrayList::new)));
      }
      status.setDetails(details);
    }
    return status;
  }

  /** "configmaps", or "deployments.apps" for a named group, as Kubernetes names a resource in messages. */
  static String qualified(ResourceType type) {
    return type.groupResource();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
