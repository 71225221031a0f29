package io.berth.apiserver.rest;

import java.util.List;

/**
 * A request the API refuses, with everything a Kubernetes Status needs: the HTTP
 * code, the reason kubectl prints ("Error from server (NotFound): ..."), the
 * object it concerns, and for an invalid object the fields at fault (details.causes).
 * Thrown anywhere in the pipeline; {@link Statuses} renders it.
 */
public final class ApiException extends RuntimeException {
  private final int code;
  private final String reason;
  private final String name;
  private final String group;
  private final String kind;
  private final List<Cause> causes;

  /**
   * One reason among several for a refusal, as a Status's details.causes lists them
   * (a field that is invalid, a field another manager owns).
   *
   * @param reason the cause type, e.g. "FieldValueRequired", "FieldManagerConflict"
   * @param field the field it concerns, or null
   */
  public record Cause(String reason, String message, String field) {}

  public ApiException(int code, String reason, String message, String name, String group, String kind,
      List<Cause> causes) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.name = name;
    this.group = group;
    this.kind = kind;
    this.causes = List.copyOf(causes);
  }

  public ApiException(int code, String reason, String message, String name, String group, String kind) {
    this(code, reason, message, name, group, kind, List.of());
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

  /** As Kubernetes fills details.kind: the resource's plural name, e.g. "configmaps" (the kind for Invalid). */
  public String kind() {
    return kind;
  }

  /** The details.causes of the Status; empty for most errors. */
  public List<Cause> causes() {
    return causes;
  }
}
