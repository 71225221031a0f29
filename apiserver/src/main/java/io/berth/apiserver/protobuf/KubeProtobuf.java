package io.berth.apiserver.protobuf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes' protobuf request bodies, turned into the JSON the rest of the server
 * reads. kubectl's typed commands ({@code kubectl create configmap}, {@code create
 * secret}, {@code create namespace}) send {@code application/vnd.kubernetes.protobuf}
 * and do not fall back to JSON on a 415, so the kinds they create are decoded here,
 * field numbers as in Kubernetes' generated.proto files. Other kinds are not yet
 * readable in protobuf (empty result: the caller answers 415).
 *
 * <p>The body is the magic "k8s\0" then a runtime.Unknown: typeMeta (1: apiVersion 1,
 * kind 2), raw (2: the object's own message), contentEncoding (3), contentType (4).
 */
public final class KubeProtobuf {
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final ObjectMapper JSON = new ObjectMapper();

  private KubeProtobuf() {}

  /**
   * The object in {@code body} as JSON, or empty if its kind cannot be decoded yet.
   *
   * @throws InvalidProtocolBufferException if the body is not a Kubernetes protobuf object
   */
  public static Optional<ObjectNode> toJson(byte[] body) throws InvalidProtocolBufferException {
    ByteString bytes = ByteString.copyFrom(body);
    if (!bytes.startsWith(ByteString.copyFrom(MAGIC))) {
      throw new InvalidProtocolBufferException("missing the k8s protobuf magic prefix");
    }
    ProtoMessage unknown = ProtoMessage.parse(bytes.substring(MAGIC.length));
    ProtoMessage typeMeta = unknown.message(1);
    String apiVersion = typeMeta == null ? null : typeMeta.string(1);
    String kind = typeMeta == null ? null : typeMeta.string(2);
    ProtoMessage raw = ProtoMessage.parse(unknown.bytes(2) == null ? ByteString.EMPTY : unknown.bytes(2));
    ObjectNode object = JSON.createObjectNode();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    boolean decoded = switch (kind == null ? "" : apiVersion + "/" + kind) {
      case "v1/ConfigMap" -> configMap(raw, object);
      case "v1/Secret" -> secret(raw, object);
      case "v1/Namespace" -> namespace(raw, object);
      default -> false;
    };
    return decoded ? Optional.of(object) : Optional.empty();
  }

  /** ConfigMap: metadata 1, data 2, binaryData 3, immutable 4. */
  private static boolean configMap(ProtoMessage m, ObjectNode out) throws InvalidProtocolBufferException {
    objectMeta(m.message(1), out);
    putStringMap(out, "data", m.map(2));
    putBytesMap(out, "binaryData", m.map(3));
    putBool(out, "immutable", m.varint(4));
    return true;
  }

  /** Secret: metadata 1, data 2 (bytes), type 3, stringData 4, immutable 5. */
  private static boolean secret(ProtoMessage m, ObjectNode out) throws InvalidProtocolBufferException {
    objectMeta(m.message(1), out);
    putBytesMap(out, "data", m.map(2));
    if (m.string(3) != null) {
      out.put("type", m.string(3));
    }
    putStringMap(out, "stringData", m.map(4));
    putBool(out, "immutable", m.varint(5));
    return true;
  }

  /** Namespace: metadata 1, spec 2 (finalizers 1); status is the server's. */
  private static boolean namespace(ProtoMessage m, ObjectNode out) throws InvalidProtocolBufferException {
    objectMeta(m.message(1), out);
    ProtoMessage spec = m.message(2);
    if (spec != null && spec.has(1)) {
      putStrings(out.putObject("spec"), "finalizers", spec.strings(1));
    }
    return true;
  }

  /**
   * ObjectMeta: name 1, generateName 2, namespace 3, uid 5, resourceVersion 6,
   * labels 11, annotations 12, finalizers 14. Timestamps and generation are the
   * server's and are ignored; ownerReferences and managedFields are not read yet.
   */
  private static void objectMeta(ProtoMessage m, ObjectNode object) throws InvalidProtocolBufferException {
    ObjectNode meta = object.putObject("metadata");
    if (m == null) {
      return;
    }
    String[] names = {null, "name", "generateName", "namespace", null, "uid", "resourceVersion"};
    for (int field = 1; field < names.length; field++) {
      String value = names[field] == null ? null : m.string(field);
      if (value != null && !value.isEmpty()) {
        meta.put(names[field], value);
      }
    }
    putStringMap(meta, "labels", m.map(11));
    putStringMap(meta, "annotations", m.map(12));
    putStrings(meta, "finalizers", m.strings(14));
  }

  private static void putStringMap(ObjectNode parent, String field, Map<String, ByteString> map) {
    if (!map.isEmpty()) {
      ObjectNode node = parent.putObject(field);
      map.forEach((k, v) -> node.put(k, v.toStringUtf8()));
    }
  }

  private static void putBytesMap(ObjectNode parent, String field, Map<String, ByteString> map) {
    if (!map.isEmpty()) {
      ObjectNode node = parent.putObject(field);
      map.forEach((k, v) -> node.put(k, Base64.getEncoder().encodeToString(v.toByteArray())));
    }
  }

  private static void putStrings(ObjectNode parent, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode array = parent.putArray(field);
      values.forEach(array::add);
    }
  }

  private static void putBool(ObjectNode parent, String field, Long value) {
    if (value != null) {
      parent.put(field, value != 0);
    }
  }
}
