package io.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.client.transport.Json;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The API server refused a request and said why in a Kubernetes Status object (code,
 * reason, message, details). When an answer carries no Status (a proxy's HTML page,
 * say), one is made from the HTTP code and the body's first line.
 */
public final class ApiException extends RuntimeException {
  private final transient Status status;

  public ApiException(Status status) {
    super(status.getCode() + " " + status.getReason() + ": " + status.getMessage());
    this.status = status;
  }

  /** The exception for an unsuccessful answer with this HTTP code and body. */
  public static ApiException fromAnswer(int httpCode, byte[] body) {
    Status status = decodeStatus(body);
    if (status == null) {
      String text = new String(body, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
      status = new StatusBuilder().withStatus("Failure").withCode(httpCode).withReason(reasonFor(httpCode))
          .withMessage(text.isEmpty() ? "the server answered HTTP " + httpCode : text).build();
    } else if (status.getCode() == null || status.getCode() == 0) {
      status.setCode(httpCode);
    }
    return new ApiException(status);
  }

  public Status status() {
    return status;
  }

  public int code() {
    return status.getCode();
  }

  /** The machine-readable reason (NotFound, AlreadyExists, Conflict, Expired, ...), or null. */
  public String reason() {
    return status.getReason();
  }

  public boolean isNotFound() {
    return code() == 404;
  }

  /** A 409 for a stale resourceVersion or a failed precondition (not for a name already taken). */
  public boolean isConflict() {
    return code() == 409 && !isAlreadyExists();
  }

  public boolean isAlreadyExists() {
    return code() == 409 && "AlreadyExists".equals(reason());
  }

  /** 410: a resourceVersion or continue token older than the server still keeps. */
  public boolean isGone() {
    return code() == 410;
  }

  private static Status decodeStatus(byte[] body) {
    try {
      JsonNode tree = Json.MAPPER.readTree(body);
      if (tree != null && "Status".equals(tree.path("kind").asText())) {
        return Json.MAPPER.treeToValue(tree, Status.class);
      }
    } catch (IOException notJson) {
      // Not from an API server; the caller makes a Status from the HTTP code.
    }
    return null;
  }

  /** The reasons kube-apiserver gives for these codes (k8s.io/apimachinery metav1.StatusReason). */
  private static String reasonFor(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 415 -> "UnsupportedMediaType";
      case 422 -> "Invalid";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      case 504 -> "Timeout";
      default -> code >= 500 ? "InternalError" : "Unknown";
    };
  }
}
