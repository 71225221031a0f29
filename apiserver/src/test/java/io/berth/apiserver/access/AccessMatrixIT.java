package io.berth.apiserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.testing.ApiCluster;
import io.berth.apiserver.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what, through a real replica with static tokens and Node,RBAC authorization:
 * an administrator, a user with a Role in one namespace, an agent, an anonymous caller and
 * an unknown token, against reads, writes, deletes, another namespace, another node's pod
 * status and secrets; each answered 2xx, 401 or 403 worded as Kubernetes words them.
 */
class AccessMatrixIT {
  private static final Map<String, UserInfo> TOKENS = Map.of(
      "admin-token", new UserInfo("root", List.of("system:masters")),
      "alice-token", new UserInfo("alice", List.of("developers")),
      "n1-token", new UserInfo("system:node:n1", List.of("system:nodes")),
      "ingress-token", new UserInfo("system:berth-ingress", List.of()));

  @TempDir
  static Path dir;
  static ApiCluster cluster;
  static String url;
  static Http admin = new Http("admin-token");
  static Http alice = new Http("alice-token");
  static Http node = new Http("n1-token");
  static Http ingress = new Http("ingress-token");
  static Http anonymous = new Http();
  static Http forged = new Http("no-such-token");

  @BeforeAll
  static void start() throws Exception {
    cluster = ApiCluster.start(dir, 1, new AccessSettings(List.of(TokenFile.of(TOKENS)), false,
        AuthorizationMode.parse("Node,RBAC")));
    url = cluster.url(0);
    // The bootstrap policy reaches the authorizer through the watch cache: wait for it.
    eventually(admin, "GET", "/api/v1/namespaces", null, 200);
    for (String ns : List.of("team-a", "team-b")) {
      expect(admin, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}", 201);
      expect(admin, "POST", "/api/v1/namespaces/" + ns + "/secrets",
          "{\"metadata\":{\"name\":\"used\"},\"stringData\":{\"k\":\"v\"}}", 201);
      expect(admin, "POST", "/api/v1/namespaces/" + ns + "/secrets",
          "{\"metadata\":{\"name\":\"unused\"},\"stringData\":{\"k\":\"v\"}}", 201);
    }
    expect(admin, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles", """
        {"metadata":{"name":"pod-editor"},"rules":[
          {"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch","create","delete"]},
          {"apiGroups":[""],"resources":["configmaps"],"verbs":["get","create"]},
          {"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles","rolebindings"],"verbs":["create"]}]}""", 201);
    expect(admin, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", """
        {"metadata":{"name":"alice-edits-pods"},
         "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-editor"},
         "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"alice"}]}""", 201);
    expect(admin, "POST", "/api/v1/nodes", "{\"metadata\":{\"name\":\"n1\"}}", 201);
    expect(admin, "POST", "/api/v1/nodes", "{\"metadata\":{\"name\":\"n2\"}}", 201);
    expect(admin, "POST", "/api/v1/namespaces/team-a/pods", pod("on-n1", "n1", "used"), 201);
    expect(admin, "POST", "/api/v1/namespaces/team-a/pods", pod("on-n2", "n2", "unused"), 201);
    eventually(alice, "GET", "/api/v1/namespaces/team-a/pods", null, 200);
    eventually(node, "GET", "/api/v1/namespaces/team-a/secrets/used", null, 200);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anAdministratorMayDoAnything() throws Exception {
    expect(admin, "GET", "/api/v1/namespaces/team-b/secrets/unused", null, 200);
    expect(admin, "POST", "/api/v1/namespaces/team-b/configmaps", "{\"metadata\":{\"name\":\"by-admin\"}}", 201);
    expect(admin, "DELETE", "/api/v1/namespaces/team-b/configmaps/by-admin", null, 200);
    expect(admin, "PATCH", "/api/v1/nodes/n2", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}", 200);
  }

  @Test
  void aUserWithARoleActsOnlyInItsNamespaceAndOnlyOnWhatTheRoleNames() throws Exception {
    expect(alice, "POST", "/api/v1/namespaces/team-a/pods", pod("alices", null, null), 201);
    expect(alice, "DELETE", "/api/v1/namespaces/team-a/pods/alices", null, 200);
    expect(alice, "GET", "/api/v1/namespaces/team-a/configmaps/none", null, 404);
    forbidden(alice, "GET", "/api/v1/namespaces/team-b/pods", null, "pods is forbidden: User \"alice\" cannot "
        + "list resource \"pods\" in API group \"\" in the namespace \"team-b\"");
    forbidden(alice, "GET", "/api/v1/namespaces/team-a/secrets/used", null, "secrets \"used\" is forbidden: User "
        + "\"alice\" cannot get resource \"secrets\" in API group \"\" in the namespace \"team-a\"");
    forbidden(alice, "DELETE", "/api/v1/namespaces/team-a/configmaps/x", null, "configmaps \"x\" is forbidden: "
        + "User \"alice\" cannot delete resource \"configmaps\" in API group \"\" in the namespace \"team-a\"");
    forbidden(alice, "GET", "/api/v1/nodes", null,
        "nodes is forbidden: User \"alice\" cannot list resource \"nodes\" in API group \"\" at the cluster scope");
    forbidden(alice, "PATCH", "/api/v1/namespaces/team-a/pods/on-n1/status", "{\"status\":{}}",
        "pods \"on-n1\" is forbidden: User \"alice\" cannot patch resource \"pods/status\" in API group \"\" in "
            + "the namespace \"team-a\"");
    // Discovery is everyone's who is authenticated (system:discovery).
    expect(alice, "GET", "/api", null, 200);
  }

  @Test
  void anAgentChangesOnlyItsOwnNodeLeaseAndPodsAndReadsOnlyTheSecretsTheyUse() throws Exception {
    expect(node, "GET", "/api/v1/nodes", null, 200);
    expect(node, "GET", "/api/v1/services", null, 200);
    expect(node, "GET", "/api/v1/endpoints?watch=false", null, 200);
    // What the agent asks at startup to learn it must read secrets one by one.
    forbidden(node, "GET", "/api/v1/secrets?limit=1", null, "secrets is forbidden: User \"system:node:n1\" cannot "
        + "list resource \"secrets\" in API group \"\" at the cluster scope: can only read individual resources "
        + "of this type");
    expect(node, "PATCH", "/api/v1/nodes/n1/status", "{\"status\":{\"phase\":\"Running\"}}", 200);
    forbidden(node, "PATCH", "/api/v1/nodes/n2/status", "{\"status\":{}}", "nodes \"n2\" is forbidden: User "
        + "\"system:node:n1\" cannot patch resource \"nodes/status\" in API group \"\" at the cluster scope");
    expect(node, "POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
        "{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"holderIdentity\":\"n1\"}}", 201);
    forbidden(node, "POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
        "{\"metadata\":{\"name\":\"n2\"}}", "leases.coordination.k8s.io \"n2\" is forbidden: can only access node "
            + "lease with the same name as the requesting node");
    forbidden(node, "POST", "/apis/coordination.k8s.io/v1/namespaces/default/leases",
        "{\"metadata\":{\"name\":\"n1\"}}", "leases.coordination.k8s.io is forbidden: User \"system:node:n1\" "
            + "cannot create resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"default\"");
    forbidden(node, "POST", "/api/v1/nodes", "{\"metadata\":{\"name\":\"n3\"}}",
        "nodes \"n3\" is forbidden: node \"n1\" is not allowed to modify node \"n3\"");
    expect(node, "PATCH", "/api/v1/namespaces/team-a/pods/on-n1/status",
        "{\"status\":{\"message\":\"mine\"}}", 200);
    forbidden(node, "PATCH", "/api/v1/namespaces/team-a/pods/on-n2/status", "{\"status\":{}}",
        "pods \"on-n2\" is forbidden: User \"system:node:n1\" cannot patch resource \"pods/status\" in API group "
            + "\"\" in the namespace \"team-a\"");
    expect(node, "GET", "/api/v1/namespaces/team-a/secrets/used", null, 200);
    forbidden(node, "GET", "/api/v1/namespaces/team-a/secrets/unused", null, "secrets \"unused\" is forbidden: "
        + "User \"system:node:n1\" cannot get resource \"secrets\" in API group \"\" in the namespace \"team-a\": "
        + "no relationship found between node 'n1' and this object");
    forbidden(node, "GET", "/api/v1/namespaces/team-b/secrets/used", null, "secrets \"used\" is forbidden: "
        + "User \"system:node:n1\" cannot get resource \"secrets\" in API group \"\" in the namespace \"team-b\": "
        + "no relationship found between node 'n1' and this object");
    forbidden(node, "GET", "/api/v1/secrets", null, "secrets is forbidden: User \"system:node:n1\" cannot list "
        + "resource \"secrets\" in API group \"\" at the cluster scope: can only read individual resources of "
        + "this type");
    forbidden(node, "DELETE", "/api/v1/namespaces/team-a/configmaps/x", null, "configmaps \"x\" is forbidden: "
        + "User \"system:node:n1\" cannot delete resource \"configmaps\" in API group \"\" in the namespace "
        + "\"team-a\": no relationship found between node 'n1' and this object");
  }

  @Test
  void theIngressReadsWhatItRoutesByAndWritesNothing() throws Exception {
    expect(ingress, "GET", "/apis/networking.k8s.io/v1/ingresses", null, 200);
    expect(ingress, "GET", "/api/v1/secrets", null, 200);
    expect(ingress, "GET", "/api/v1/endpoints", null, 200);
    forbidden(ingress, "DELETE", "/api/v1/namespaces/team-a/secrets/used", null, "secrets \"used\" is forbidden: "
        + "User \"system:berth-ingress\" cannot delete resource \"secrets\" in API group \"\" in the namespace "
        + "\"team-a\"");
  }

  @Test
  void requestsWithoutCredentialsOrWithAnUnknownTokenAreUnauthorized() throws Exception {
    for (Http caller : List.of(anonymous, forged)) {
      for (String path : List.of("/api/v1/namespaces/team-a/pods", "/api", "/apis/rbac.authorization.k8s.io/v1")) {
        Http.Reply reply = caller.get(url + path);
        assertThat(reply.code()).as(path).isEqualTo(401);
        assertThat(reply.body().path("reason").asText()).isEqualTo("Unauthorized");
        assertThat(reply.body().path("message").asText()).isEqualTo("Unauthorized");
      }
      assertThat(caller.send("DELETE", url + "/api/v1/namespaces/team-a/secrets/used", null).code()).isEqualTo(401);
    }
    assertThat(anonymous.get(url + "/healthz").code()).isEqualTo(200);
  }

  @Test
  void selfSubjectAccessReviewsAnswerForTheCaller() throws Exception {
    assertThat(review(alice, "team-a", "create", "pods")).isTrue();
    assertThat(review(alice, "team-b", "create", "pods")).isFalse();
    assertThat(review(alice, "team-a", "get", "secrets")).isFalse();
    assertThat(review(admin, "team-b", "delete", "secrets")).isTrue();
  }

  @Test
  void subjectAccessReviewsAnswerForTheUserNamedAndOnlyAdministratorsMayAsk() throws Exception {
    String body = """
        {"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"alice",
         "resourceAttributes":{"namespace":"team-a","verb":"list","resource":"pods"}}}""";
    Http.Reply reply = admin.send("POST", url + "/apis/authorization.k8s.io/v1/subjectaccessreviews", body);
    assertThat(reply.code()).isEqualTo(201);
    assertThat(reply.body().at("/status/allowed").asBoolean()).isTrue();
    assertThat(reply.body().at("/status/reason").asText())
        .isEqualTo("RBAC: allowed by RoleBinding \"alice-edits-pods/team-a\" of Role \"pod-editor\" to User \"alice\"");
    forbidden(alice, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", body,
        "subjectaccessreviews.authorization.k8s.io is forbidden: User \"alice\" cannot create resource "
            + "\"subjectaccessreviews\" in API group \"authorization.k8s.io\" at the cluster scope");
  }

  @Test
  void aUserMayGrantOnlyWhatItHolds() throws Exception {
    String rolebindings = "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings";
    expect(alice, "POST", rolebindings, binding("bob-edits-pods", "Role", "pod-editor"), 201);
    Http.Reply refused = alice.send("POST", url + rolebindings, binding("alice-is-admin", "ClusterRole",
        "cluster-admin"));
    assertThat(refused.code()).isEqualTo(403);
    assertThat(refused.body().path("message").asText()).startsWith("rolebindings.rbac.authorization.k8s.io is "
        + "forbidden: user \"alice\" (groups=[\"developers\" \"system:authenticated\"]) is attempting to grant RBAC "
        + "permissions not currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}");
    Http.Reply role = alice.send("POST", url + "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles",
        "{\"metadata\":{\"name\":\"reads-secrets\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],"
            + "\"verbs\":[\"get\"]}]}");
    assertThat(role.code()).isEqualTo(403);
    assertThat(role.body().path("message").asText()).endsWith("is attempting to grant RBAC permissions not currently "
        + "held:\n{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}");
    // An administrator holds everything, so may grant anything.
    expect(admin, "POST", rolebindings, binding("root-grants-admin", "ClusterRole", "admin"), 201);
  }

  private static String binding(String name, String kind, String role) {
    return "{\"metadata\":{\"name\":\"" + name + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
        + "\"kind\":\"" + kind + "\",\"name\":\"" + role + "\"},\"subjects\":[{\"apiGroup\":"
        + "\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"bob\"}]}";
  }

  @Test
  void invalidRolesAndBindingsAreRefusedWithTheirFields() throws Exception {
    Http.Reply role = admin.send("POST", url + "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles",
        "{\"metadata\":{\"name\":\"bad\"},\"rules\":[{\"nonResourceURLs\":[\"/x\"]}]}");
    assertThat(role.code()).isEqualTo(422);
    assertThat(role.body().path("message").asText()).isEqualTo("Role.rbac.authorization.k8s.io \"bad\" is invalid: "
        + "[rules[0].verbs: Required value: verbs must contain at least one value, rules[0].nonResourceURLs: "
        + "Invalid value: [\"/x\"]: namespaced rules cannot apply to non-resource URLs]");
    Http.Reply binding = admin.send("POST", url + "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
        "{\"metadata\":{\"name\":\"bad\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\","
            + "\"name\":\"x\"},\"subjects\":[{\"kind\":\"Robot\",\"name\":\"r\"}]}");
    assertThat(binding.code()).isEqualTo(422);
    assertThat(binding.body().path("message").asText()).contains("roleRef.kind: Unsupported value: \"Role\"",
        "subjects[0].kind: Unsupported value: \"Robot\"");
  }

  private static boolean review(Http caller, String namespace, String verb, String resource) throws Exception {
    Http.Reply reply = caller.send("POST", url + "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", """
        {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
         "spec":{"resourceAttributes":{"namespace":"%s","verb":"%s","resource":"%s"}}}"""
        .formatted(namespace, verb, resource));
    assertThat(reply.code()).isEqualTo(201);
    return reply.body().at("/status/allowed").asBoolean();
  }

  private static String pod(String name, String nodeName, String secret) {
    String env = secret == null ? "" : ",\"env\":[{\"name\":\"S\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\""
        + secret + "\",\"key\":\"k\"}}}]";
    String bound = nodeName == null ? "" : "\"nodeName\":\"" + nodeName + "\",";
    return "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + bound
        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"" + env + "}]}}";
  }

  private static void expect(Http caller, String method, String path, String body, int code) throws Exception {
    Http.Reply reply = caller.send(method, url + path, body);
    assertThat(reply.code()).as(method + " " + path + ": " + reply.body()).isEqualTo(code);
  }

  private static void forbidden(Http caller, String method, String path, String body, String message)
      throws Exception {
    Http.Reply reply = caller.send(method, url + path, body);
    assertThat(reply.code()).as(method + " " + path + ": " + reply.body()).isEqualTo(403);
    assertThat(reply.body().path("reason").asText()).isEqualTo("Forbidden");
    assertThat(reply.body().path("message").asText()).isEqualTo(message);
  }

  /** Policy and pods reach the authorizer through the watch caches, a moment after the write. */
  private static void eventually(Http caller, String method, String path, String body, int code) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Http.Reply reply;
    do {
      reply = caller.send(method, url + path, body);
      if (reply.code() == code) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    assertThat(reply.code()).as(method + " " + path + ": " + reply.body()).isEqualTo(code);
  }
}
