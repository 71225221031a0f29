package io.berth.apiserver.validation;

/**
 * Where in an object a field is, written as Kubernetes writes it in errors:
 * {@code spec.containers[0].ports[1].containerPort}, {@code data[my.key]}.
 */
public record FieldPath(String path) {
  public static FieldPath root(String field) {
    return new FieldPath(field);
  }

  public FieldPath child(String field) {
    return new FieldPath(path + "." + field);
  }

  public FieldPath index(int i) {
    return new FieldPath(path + "[" + i + "]");
  }

  public FieldPath key(String key) {
    return new FieldPath(path + "[" + key + "]");
  }

  @Override
  public String toString() {
    return path;
  }
}
