package io.berth.apiserver.rest;

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

  public static ApiException forbidden(ResourceType type, String name, String why) {
    return new ApiException(403, "Forbidden", qualified(type) + " \"" + name + "\" is forbidden: " + why,
        name, emptyToNull(type.group()), type.plural());
  }

  public static ApiException requestTooLarge(int limitBytes) {
    return new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is " + limitBytes);
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
    if (e.name() != null || e.group() != null || e.kind() != null) {
      StatusDetails details = new StatusDetails();
      details.setName(e.name());
      details.setGroup(e.group());
      details.setKind(e.kind());
      details.setCauses(e.causes().stream()
          .map(c -> new StatusCause(c.field(), c.message(), c.reason()))
          .collect(Collectors.toCollection(ArrayList::new)));
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
