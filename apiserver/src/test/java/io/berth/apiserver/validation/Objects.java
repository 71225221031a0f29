package io.berth.apiserver.validation;

import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.KindDefaults;
import io.berth.apiserver.rest.ObjectCodec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test objects written as the JSON a client sends, defaulted as the server would before validating. */
final class Objects {
  static final ResourceTable TABLE = ResourceTable.builtIn();

  private Objects() {}

  static ResourceType type(String group, String plural) {
    return TABLE.find(group, "v1", plural).orElseThrow();
  }

  static HasMetadata object(ResourceType type, String json) {
    HasMetadata object = ObjectCodec.decodeBody(json.getBytes(StandardCharsets.UTF_8), type);
    KindDefaults.apply(object);
    return object;
  }

  /** Each error as kubectl would print it: "field: Type: value: detail". */
  static List<String> errors(ResourceType type, String json) {
    return Validation.errorsOf(type, object(type, json)).stream().map(FieldError::toString).toList();
  }

  static List<String> updateErrors(ResourceType type, String updated, String old) {
    try {
      Validation.validateUpdate(type, object(type, updated), object(type, old));
      return List.of();
    } catch (ApiException e) {
      return e.causes().stream().map(c -> c.field() + ": " + c.message()).toList();
    }
  }
}
