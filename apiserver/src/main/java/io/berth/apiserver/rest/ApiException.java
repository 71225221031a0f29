package io.berth.apiserver.rest;

/**
 * A request the API refuses, with everything a Kubernetes Status needs: the HTTP
 * code, the reason kubectl prints ("Error from server (NotFound): ..."), and the
 * object it concerns. Thrown anywhere in the pipeline; {@link Statuses} renders it.
 */
public final class ApiException extends RuntimeException {
  private final int code;
  private final String reason;
  private final String name;
  private final String group;
  private final String kind;

  public ApiException(int code, String reason, String message, String name, String group, String kind) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.name = name;
    this.group = group;
    this.kind = kind;
  }

  public ApiException(int code, String reason, String message) {
    this(code, reason, message, null, null, null);
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public String name() {
    return name;
  }

  public String group() {
    return group;
  }

  /** As Kubernetes fills details.kind: the resource's plural name, e.g. "configmaps". */
  public String kind() {
    return kind;
  }
}
