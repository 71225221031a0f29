package io.berth.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * A Kubernetes protobuf object as the JSON the API reads. Kubernetes names its proto
 * fields after their JSON names, so most of the mapping is mechanical; what is not is
 * the handful of apimachinery types whose JSON is a scalar (IntOrString, Quantity, Time,
 * MicroTime) or embedded JSON (RawExtension, FieldsV1). protobuf-java's JsonFormat would
 * print those as objects, so the walk over the descriptors is written here.
 */
final class ProtoJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String APIMACHINERY = "k8s.io.apimachinery.pkg.";

  private ProtoJson() {}

  static JsonNode toJson(Message message) {
    String type = message.getDescriptorForType().getFullName();
    switch (type) {
      case APIMACHINERY + "util.intstr.IntOrString" -> {
        long kind = (Long) field(message, "type");
        return kind == 0 ? NODES.numberNode((Integer) field(message, "intVal"))
            : NODES.textNode((String) field(message, "strVal"));
      }
      case APIMACHINERY + "api.resource.Quantity" -> {
        return NODES.textNode((String) field(message, "string"));
      }
      case APIMACHINERY + "apis.meta.v1.Time" -> {
        return NODES.textNode(DateTimeFormatter.ISO_INSTANT.format(
            Instant.ofEpochSecond((Long) field(message, "seconds"))));
      }
      case APIMACHINERY + "apis.meta.v1.MicroTime" -> {
        return NODES.textNode(DateTimeFormatter.ISO_INSTANT.format(
            Instant.ofEpochSecond((Long) field(message, "seconds"), (Integer) field(message, "nanos"))));
      }
      case APIMACHINERY + "runtime.RawExtension" -> {
        return embeddedJson((ByteString) field(message, "raw"));
      }
      case APIMACHINERY + "apis.meta.v1.FieldsV1" -> {
        return embeddedJson((ByteString) field(message, "Raw"));
      }
      default -> {
        return object(message);
      }
    }
  }

  private static ObjectNode object(Message message) {
    ObjectNode out = NODES.objectNode();
    for (FieldDescriptor f : message.getDescriptorForType().getFields()) {
      if (f.isMapField()) {
        @SuppressWarnings("unchecked")
        List<Message> entries = (List<Message>) message.getField(f);
        if (!entries.isEmpty()) {
          ObjectNode map = out.putObject(f.getName());
          FieldDescriptor key = f.getMessageType().findFieldByName("key");
          FieldDescriptor value = f.getMessageType().findFieldByName("value");
          for (Message entry : entries) {
            map.set(String.valueOf(entry.getField(key)), value(value, entry.getField(value)));
          }
        }
      } else if (f.isRepeated()) {
        int count = message.getRepeatedFieldCount(f);
        if (count > 0) {
          ArrayNode items = out.putArray(f.getName());
          for (int i = 0; i < count; i++) {
            items.add(value(f, message.getRepeatedField(f, i)));
          }
        }
      } else if (message.hasField(f) && !isEmptyString(message.getField(f))) {
        out.set(f.getName(), value(f, message.getField(f)));
      }
    }
    return out;
  }

  private static JsonNode value(FieldDescriptor f, Object value) {
    return switch (f.getJavaType()) {
      case MESSAGE -> toJson((Message) value);
      case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case STRING -> NODES.textNode((String) value);
      case INT -> NODES.numberNode((Integer) value);
      case LONG -> NODES.numberNode((Long) value);
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      case DOUBLE -> NODES.numberNode((Double) value);
      case FLOAT -> NODES.numberNode((Float) value);
      case ENUM -> NODES.textNode(value.toString());
    };
  }

  /**
   * Go's protobuf encoding writes an empty string it holds, where its JSON encoding
   * (omitempty) leaves the field out; read as JSON, "" would be a value (an invalid
   * externalTrafficPolicy, say) rather than the default it means.
   */
  private static boolean isEmptyString(Object value) {
    return value instanceof String s && s.isEmpty();
  }

  private static Object field(Message message, String name) {
    return message.getField(message.getDescriptorForType().findFieldByName(name));
  }

  private static JsonNode embeddedJson(ByteString raw) {
    if (raw.isEmpty()) {
      return NODES.objectNode();
    }
    try {
      return io.berth.apiserver.rest.ObjectCodec.JSON.readTree(raw.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded JSON in a protobuf object could not be read", e);
    }
  }
}
