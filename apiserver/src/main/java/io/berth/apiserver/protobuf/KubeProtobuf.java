package io.berth.apiserver.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Authorization;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes' protobuf request bodies, turned into the JSON the rest of the server
 * reads. kubectl's typed commands ({@code kubectl create configmap|secret|namespace|
 * service|deployment ...}) send {@code application/vnd.kubernetes.protobuf} and do not
 * fall back to JSON on a 415. The messages are Kubernetes' own generated classes
 * (io.kubernetes:client-java-proto); {@link ProtoJson} writes them as JSON.
 *
 * <p>The body is the magic "k8s\0" then a runtime.Unknown: typeMeta (apiVersion, kind)
 * and raw, the object's own message.
 */
public final class KubeProtobuf {
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final ByteString MAGIC = ByteString.copyFrom(new byte[] {'k', '8', 's', 0});

  /** The kinds Berth serves that Kubernetes' proto classes (1.28) cover, by apiVersion/kind. */
  private static final Map<String, Parser<? extends Message>> PARSERS = Map.ofEntries(
      Map.entry("v1/ConfigMap", V1.ConfigMap.parser()),
      Map.entry("v1/Secret", V1.Secret.parser()),
      Map.entry("v1/Namespace", V1.Namespace.parser()),
      Map.entry("v1/Pod", V1.Pod.parser()),
      Map.entry("v1/Service", V1.Service.parser()),
      Map.entry("v1/Endpoints", V1.Endpoints.parser()),
      Map.entry("v1/Event", V1.Event.parser()),
      Map.entry("v1/Node", V1.Node.parser()),
      Map.entry("apps/v1/Deployment", V1Apps.Deployment.parser()),
      Map.entry("apps/v1/ReplicaSet", V1Apps.ReplicaSet.parser()),
      Map.entry("networking.k8s.io/v1/Ingress", V1Networking.Ingress.parser()),
      Map.entry("networking.k8s.io/v1/IngressClass", V1Networking.IngressClass.parser()),
      // kubectl create token sends its TokenRequest in protobuf.
      Map.entry("authentication.k8s.io/v1/TokenRequest",
          io.kubernetes.client.proto.V1Authentication.TokenRequest.parser()),
      Map.entry("rbac.authorization.k8s.io/v1/Role", V1Rbac.Role.parser()),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", V1Rbac.ClusterRole.parser()),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1Rbac.RoleBinding.parser()),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", V1Rbac.ClusterRoleBinding.parser()),
      // kubectl auth can-i sends its SelfSubjectAccessReview in protobuf.
      Map.entry("authorization.k8s.io/v1/SelfSubjectAccessReview", V1Authorization.SelfSubjectAccessReview.parser()),
      Map.entry("authorization.k8s.io/v1/SubjectAccessReview", V1Authorization.SubjectAccessReview.parser()));

  private KubeProtobuf() {}

  /**
   * The object in {@code body} as JSON, or empty if its kind cannot be read in protobuf.
   *
   * @throws InvalidProtocolBufferException if the body is not a Kubernetes protobuf object
   */
  public static Optional<ObjectNode> toJson(byte[] body) throws InvalidProtocolBufferException {
    ByteString bytes = ByteString.copyFrom(body);
    if (!bytes.startsWith(MAGIC)) {
      throw new InvalidProtocolBufferException("missing the k8s protobuf magic prefix");
    }
    Runtime.Unknown unknown = Runtime.Unknown.parseFrom(bytes.substring(MAGIC.size()));
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    Parser<? extends Message> parser = PARSERS.get(apiVersion + "/" + kind);
    if (parser == null) {
      return Optional.empty();
    }
    ObjectNode object = (ObjectNode) ProtoJson.toJson(parser.parseFrom(unknown.getRaw()));
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    return Optional.of(object);
  }
}
