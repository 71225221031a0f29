package io.berth.apiserver.validation;

import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ObjectCodec;
import java.nio.charset.StandardCharsets;

/**
 * One thing wrong with one field, worded as k8s.io/apimachinery's field errors are, since
 * kubectl prints them verbatim: {@code spec.replicas: Invalid value: -1: must be greater than
 * or equal to 0}. Required, Forbidden and TooLong do not repeat the value.
 *
 * @param badValue the value at fault, rendered as Kubernetes renders it (strings quoted)
 * @param detail why, or "" when the type says it all
 */
public record FieldError(Type type, FieldPath field, Object badValue, String detail) {

  /** The kinds of error, each with the Status cause reason and the words of the message. */
  public enum Type {
    INVALID("FieldValueInvalid", "Invalid value", true),
    REQUIRED("FieldValueRequired", "Required value", false),
    NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value", true),
    DUPLICATE("FieldValueDuplicate", "Duplicate value", true),
    TOO_LONG("FieldValueTooLong", "Too long", false),
    FORBIDDEN("FieldValueForbidden", "Forbidden", false),
    NOT_FOUND("FieldValueNotFound", "Not found", true);

    final String reason;
    final String words;
    final boolean showsValue;

    Type(String reason, String words, boolean showsValue) {
      this.reason = reason;
      this.words = words;
      this.showsValue = showsValue;
    }
  }

  /** The message without the field: "Invalid value: -1: must be greater than or equal to 0". */
  public String body() {
    String body = type.showsValue ? type.words + ": " + render(badValue) : type.words;
    return detail.isEmpty() ? body : body + ": " + detail;
  }

  public ApiException.Cause cause() {
    return new ApiException.Cause(type.reason, body(), field.path());
  }

  @Override
  public String toString() {
    return field + ": " + body();
  }

  /** Strings quoted, numbers and booleans bare, anything else (maps, selectors) as JSON. */
  static String render(Object value) {
    return switch (value) {
      case null -> "null";
      case String s -> quote(s);
      case Number n -> n.toString();
      case Boolean b -> b.toString();
      default -> new String(ObjectCodec.encode(value), StandardCharsets.UTF_8);
    };
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
