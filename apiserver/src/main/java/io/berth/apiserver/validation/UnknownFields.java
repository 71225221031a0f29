package io.berth.apiserver.validation;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.berth.apiserver.rest.ObjectCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields of a request's JSON that its fabric8 model class does not know, with their
 * paths ("spec.containers[0].imagePullPolcy"). fabric8 would quietly keep them in
 * additionalProperties; this walks the JSON beside the class's Jackson properties instead,
 * so every unknown field is found with the path the client wrote.
 *
 * <p>Only classes that collect unknown fields (those with an any-setter: every fabric8
 * model class) are judged; free-form values (Object, JsonNode, custom deserializers) are
 * not looked into.
 */
final class UnknownFields {
  private static final Map<JavaType, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

  private UnknownFields() {}

  static List<String> in(JsonNode json, Class<?> modelClass) {
    List<String> unknown = new ArrayList<>();
    walk(json, ObjectCodec.JSON.constructType(modelClass), "", unknown);
    return unknown;
  }

  private static void walk(JsonNode node, JavaType type, String path, List<String> unknown) {
    if (node.isArray() && (type.isCollectionLikeType() || type.isArrayType())) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), type.getContentType(), path + "[" + i + "]", unknown);
      }
    } else if (node.isObject() && type.isMapLikeType()) {
      node.properties().forEach(e -> walk(e.getValue(), type.getContentType(), join(path, e.getKey()), unknown));
    } else if (node.isObject()) {
      Map<String, JavaType> known = properties(type);
      if (known == null) {
        return;
      }
      node.properties().forEach(e -> {
        JavaType fieldType = known.get(e.getKey());
        if (fieldType == null) {
          unknown.add(join(path, e.getKey()));
        } else {
          walk(e.getValue(), fieldType, join(path, e.getKey()), unknown);
        }
      });
    }
  }

  /** The JSON property names of a model class and their types, or null when it is not a model class. */
  private static Map<String, JavaType> properties(JavaType type) {
    Map<String, JavaType> cached = PROPERTIES.get(type);
    if (cached != null) {
      return cached.isEmpty() ? null : cached;
    }
    BeanDescription bean = ObjectCodec.JSON.getDeserializationConfig().introspect(type);
    Map<String, JavaType> properties = new HashMap<>();
    if (bean.findAnySetterAccessor() != null) {
      for (BeanPropertyDefinition p : bean.findProperties()) {
        properties.put(p.getName(), p.getPrimaryType());
      }
    }
    // An empty map marks "not judged", so the introspection is not repeated.
    PROPERTIES.put(type, properties);
    return properties.isEmpty() ? null : properties;
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
