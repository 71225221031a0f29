package io.berth.apiserver.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protobuf message read without its schema: each field number with its raw values
 * (varints as longs, length-delimited fields as bytes). The decoders that know the
 * Kubernetes schema ({@link KubeProtobuf}) ask for fields by number and type.
 */
final class ProtoMessage {
  private final Map<Integer, List<Object>> fields = new LinkedHashMap<>();

  static ProtoMessage parse(ByteString bytes) throws InvalidProtocolBufferException {
    ProtoMessage message = new ProtoMessage();
    CodedInputStream in = bytes.newCodedInput();
    try {
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        int number = WireFormat.getTagFieldNumber(tag);
        Object value = switch (WireFormat.getTagWireType(tag)) {
          case WireFormat.WIRETYPE_VARINT -> in.readInt64();
          case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readBytes();
          default -> {
            in.skipField(tag);
            yield null;
          }
        };
        if (value != null) {
          message.fields.computeIfAbsent(number, n -> new ArrayList<>()).add(value);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return message;
  }

  boolean has(int number) {
    return fields.containsKey(number);
  }

  /** The last value of a string field (proto's rule for repeated scalars read as one), or null. */
  String string(int number) {
    ByteString bytes = bytes(number);
    return bytes == null ? null : bytes.toStringUtf8();
  }

  ByteString bytes(int number) {
    List<Object> values = fields.get(number);
    return values == null ? null : (ByteString) values.get(values.size() - 1);
  }

  Long varint(int number) {
    List<Object> values = fields.get(number);
    return values == null ? null : (Long) values.get(values.size() - 1);
  }

  List<String> strings(int number) {
    return fields.getOrDefault(number, List.of()).stream().map(v -> ((ByteString) v).toStringUtf8()).toList();
  }

  ProtoMessage message(int number) throws InvalidProtocolBufferException {
    ByteString bytes = bytes(number);
    return bytes == null ? null : parse(bytes);
  }

  /** A {@code map<string, V>} field: repeated entries with the key in field 1 and the value in field 2. */
  Map<String, ByteString> map(int number) throws InvalidProtocolBufferException {
    Map<String, ByteString> map = new LinkedHashMap<>();
    for (Object entry : fields.getOrDefault(number, List.of())) {
      ProtoMessage e = parse((ByteString) entry);
      map.put(e.string(1) == null ? "" : e.string(1), e.bytes(2) == null ? ByteString.EMPTY : e.bytes(2));
    }
    return map;
  }
}
