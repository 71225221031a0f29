package io.berth.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Bodies built here field by field, as Kubernetes' generated.proto numbers them and kubectl sends them. */
class KubeProtobufTest {

  @Test
  void configMapAsKubectlCreateSendsIt() throws IOException {
    byte[] meta = message(out -> {
      out.writeString(1, "c");
      out.writeString(3, "default");
      writeMapEntry(out, 11, "app", ByteString.copyFromUtf8("web"));
    });
    byte[] configMap = message(out -> {
      out.writeByteArray(1, meta);
      writeMapEntry(out, 2, "a", ByteString.copyFromUtf8("b"));
      writeMapEntry(out, 3, "bin", ByteString.copyFrom(new byte[] {1, 2}));
    });
    JsonNode json = KubeProtobuf.toJson(envelope("v1", "ConfigMap", configMap)).orElseThrow();
    assertThat(json.get("kind").asText()).isEqualTo("ConfigMap");
    assertThat(json.at("/metadata/name").asText()).isEqualTo("c");
    assertThat(json.at("/metadata/namespace").asText()).isEqualTo("default");
    assertThat(json.at("/metadata/labels/app").asText()).isEqualTo("web");
    assertThat(json.at("/data/a").asText()).isEqualTo("b");
    assertThat(json.at("/binaryData/bin").asText()).isEqualTo("AQI=");
  }

  @Test
  void secretDataIsBase64AndTypeIsKept() throws IOException {
    byte[] secret = message(out -> {
      out.writeByteArray(1, message(m -> m.writeString(1, "s")));
      writeMapEntry(out, 2, "password", ByteString.copyFromUtf8("hunter2"));
      out.writeString(3, "Opaque");
    });
    JsonNode json = KubeProtobuf.toJson(envelope("v1", "Secret", secret)).orElseThrow();
    assertThat(json.at("/data/password").asText()).isEqualTo("aHVudGVyMg==");
    assertThat(json.get("type").asText()).isEqualTo("Opaque");
  }

  @Test
  void kindsNotYetDecodedAreEmpty() throws IOException {
    assertThat(KubeProtobuf.toJson(envelope("apps/v1", "Deployment", new byte[0]))).isEmpty();
  }

  @Test
  void aBodyWithoutTheMagicIsRefused() {
    assertThatThrownBy(() -> KubeProtobuf.toJson("{}".getBytes()))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Writer writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writer.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static void writeMapEntry(CodedOutputStream out, int field, String key, ByteString value) throws IOException {
    out.writeByteArray(field, message(e -> {
      e.writeString(1, key);
      e.writeBytes(2, value);
    }));
  }

  private static byte[] envelope(String apiVersion, String kind, byte[] raw) throws IOException {
    byte[] unknown = message(out -> {
      out.writeByteArray(1, message(t -> {
        t.writeString(1, apiVersion);
        t.writeString(2, kind);
      }));
      out.writeByteArray(2, raw);
    });
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(new byte[] {'k', '8', 's', 0});
    body.write(unknown);
    return body.toByteArray();
  }

}
