package io.berth.apiserver.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The field errors found in one object, collected rather than thrown so the client
 * hears about every one of them at once, as kube-apiserver reports them.
 */
public final class Errors {
  private final List<FieldError> errors = new ArrayList<>();

  public List<FieldError> list() {
    return List.copyOf(errors);
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public void invalid(FieldPath field, Object value, String detail) {
    errors.add(new FieldError(FieldError.Type.INVALID, field, value, detail));
  }

  /** One Invalid error per message of a syntax rule ({@link Syntax}), as Kubernetes reports them. */
  public void invalid(FieldPath field, Object value, List<String> messages) {
    messages.forEach(m -> invalid(field, value, m));
  }

  public void required(FieldPath field, String detail) {
    errors.add(new FieldError(FieldError.Type.REQUIRED, field, null, detail));
  }

  public void notSupported(FieldPath field, Object value, Collection<String> supported) {
    String values = supported.stream().sorted().map(FieldError::quote).collect(Collectors.joining(", "));
    errors.add(new FieldError(FieldError.Type.NOT_SUPPORTED, field, value, "supported values: " + values));
  }

  public void duplicate(FieldPath field, Object value) {
    errors.add(new FieldError(FieldError.Type.DUPLICATE, field, value, ""));
  }

  public void tooLong(FieldPath field, int maxBytes) {
    errors.add(new FieldError(FieldError.Type.TOO_LONG, field, null, "must have at most " + maxBytes + " bytes"));
  }

  /** A reference to something that is not there (a volume mount naming no volume). */
  public void notFound(FieldPath field, Object value) {
    errors.add(new FieldError(FieldError.Type.NOT_FOUND, field, value, ""));
  }

  public void forbidden(FieldPath field, String detail) {
    errors.add(new FieldError(FieldError.Type.FORBIDDEN, field, null, detail));
  }

  /** A number at least {@code min}, when given. */
  public void atLeast(FieldPath field, Number value, long min) {
    if (value != null && value.longValue() < min) {
      invalid(field, value, "must be greater than or equal to " + min);
    }
  }

  /** A value from a fixed set, when given. */
  public void oneOf(FieldPath field, String value, Collection<String> supported) {
    if (value != null && !supported.contains(value)) {
      notSupported(field, value, supported);
    }
  }

  /** A port number, when given. */
  public void port(FieldPath field, Integer port) {
    if (port != null && (port < 1 || port > 65535)) {
      invalid(field, port, "must be between 1 and 65535, inclusive");
    }
  }
}
