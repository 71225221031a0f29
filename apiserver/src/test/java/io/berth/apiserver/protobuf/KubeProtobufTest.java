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
  void kindsWithoutProtobufClassesAreEmpty() throws IOException {
    assertThat(KubeProtobuf.toJson(envelope("coordination.k8s.io/v1", "Lease", new byte[0]))).isEmpty();
  }

  @Test
  void aDeploymentAsKubectlCreateDeploymentSendsItWithScalarsWhereJsonHasThem() throws IOException {
    // Built with Kubernetes' generated classes, as kubectl's Go client encodes it.
    var quantity = io.kubernetes.client.proto.Resource.Quantity.newBuilder().setString("250m").build();
    var deployment = io.kubernetes.client.proto.V1Apps.Deployment.newBuilder()
        .setMetadata(io.kubernetes.client.proto.Meta.ObjectMeta.newBuilder().setName("web")
            .putLabels("app", "web")
            .setCreationTimestamp(io.kubernetes.client.proto.Meta.Time.newBuilder().setSeconds(1_700_000_000)))
        .setSpec(io.kubernetes.client.proto.V1Apps.DeploymentSpec.newBuilder().setReplicas(3)
            .setStrategy(io.kubernetes.client.proto.V1Apps.DeploymentStrategy.newBuilder().setType("RollingUpdate")
                .setRollingUpdate(io.kubernetes.client.proto.V1Apps.RollingUpdateDeployment.newBuilder()
                    .setMaxSurge(io.kubernetes.client.proto.IntStr.IntOrString.newBuilder().setType(1)
                        .setStrVal("25%"))
                    .setMaxUnavailable(io.kubernetes.client.proto.IntStr.IntOrString.newBuilder().setType(0)
                        .setIntVal(1))))
            .setTemplate(io.kubernetes.client.proto.V1.PodTemplateSpec.newBuilder()
                .setSpec(io.kubernetes.client.proto.V1.PodSpec.newBuilder().setRestartPolicy("").addContainers(
                    io.kubernetes.client.proto.V1.Container.newBuilder().setName("nginx").setImage("nginx")
                        .setResources(io.kubernetes.client.proto.V1.ResourceRequirements.newBuilder()
                            .putRequests("cpu", quantity))))))
        .build();
    JsonNode json = KubeProtobuf.toJson(envelope("apps/v1", "Deployment", deployment.toByteArray())).orElseThrow();
    assertThat(json.get("kind").asText()).isEqualTo("Deployment");
    assertThat(json.at("/metadata/name").asText()).isEqualTo("web");
    assertThat(json.at("/metadata/labels/app").asText()).isEqualTo("web");
    assertThat(json.at("/metadata/creationTimestamp").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(json.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(json.at("/spec/strategy/rollingUpdate/maxSurge").asText()).isEqualTo("25%");
    assertThat(json.at("/spec/strategy/rollingUpdate/maxUnavailable").isInt()).isTrue();
    assertThat(json.at("/spec/template/spec/containers/0/resources/requests/cpu").asText()).isEqualTo("250m");
    assertThat(json.at("/spec/paused").isMissingNode()).as("unset fields are left out").isTrue();
    assertThat(json.at("/spec/template/spec/restartPolicy").isMissingNode()).as("empty strings too, as Go's JSON")
        .isTrue();
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
