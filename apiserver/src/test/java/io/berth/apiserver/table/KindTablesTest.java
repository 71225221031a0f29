package io.berth.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.rest.ObjectCodec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind's columns and cells, as kube-apiserver's printers print them (objects created at 00:55, now 01:00). */
class KindTablesTest {
  private final TablePrinter printer = new TablePrinter(Clock.fixed(Instant.parse("2026-01-01T01:00:00Z"), ZoneOffset.UTC));

  private JsonNode table(String kind, String json) throws Exception {
    JsonNode object = ObjectCodec.JSON.readTree(json.replace("\"metadata\":{",
        "\"metadata\":{\"creationTimestamp\":\"2026-01-01T00:55:00Z\","));
    return printer.table(kind, List.of(object), null);
  }

  private static List<String> columns(JsonNode table) {
    return table.get("columnDefinitions").findValuesAsText("name");
  }

  private static String cells(JsonNode table) {
    return table.at("/rows/0/cells").toString();
  }

  @Test
  void nodesPrintStatusRolesAgeVersionThenTheirSystemInfo() throws Exception {
    JsonNode t = table("Node", """
        {"metadata":{"name":"n1","labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/worker":""}},
         "spec":{"unschedulable":true},
         "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
          "addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"n1"}],
          "nodeInfo":{"kubeletVersion":"v1.32.0-berth","osImage":"Debian 12","kernelVersion":"6.1.0",
           "containerRuntimeVersion":"docker://27.1"}}}""");
    assertThat(columns(t)).containsExactly("Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP",
        "OS-Image", "Kernel-Version", "Container-Runtime");
    assertThat(cells(t)).isEqualTo("[\"n1\",\"Ready,SchedulingDisabled\",\"control-plane,worker\",\"5m\","
        + "\"v1.32.0-berth\",\"10.0.0.1\",\"<none>\",\"Debian 12\",\"6.1.0\",\"docker://27.1\"]");
  }

  @Test
  void nodesAreNotReadyWhenTheirReadyConditionIsNotTrueAndUnknownWithoutOne() throws Exception {
    assertThat(NodeColumns.status(ObjectCodec.JSON.readTree(
        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\"}]}}"))).isEqualTo("NotReady");
    assertThat(NodeColumns.status(ObjectCodec.JSON.readTree("{\"status\":{}}"))).isEqualTo("Unknown");
    assertThat(NodeColumns.roles(ObjectCodec.JSON.readTree("{\"metadata\":{}}"))).isEqualTo("<none>");
  }

  @Test
  void servicesPrintTypeAddressesPortsAndSortedSelector() throws Exception {
    JsonNode t = table("Service", """
        {"metadata":{"name":"s"},"spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10","selector":{"tier":"a","app":"web"},
          "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]}}""");
    assertThat(columns(t)).containsExactly("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector");
    assertThat(cells(t)).isEqualTo(
        "[\"s\",\"LoadBalancer\",\"10.96.0.10\",\"<pending>\",\"80:30080/TCP,53/UDP\",\"5m\",\"app=web,tier=a\"]");
    JsonNode external = table("Service", """
        {"metadata":{"name":"db"},"spec":{"type":"ExternalName","externalName":"db.example.com"}}""");
    assertThat(cells(external)).isEqualTo("[\"db\",\"ExternalName\",\"<none>\",\"db.example.com\",\"<none>\",\"5m\",\"<none>\"]");
  }

  @Test
  void endpointsPrintTheFirstThreeReadyAddressesWithPorts() throws Exception {
    JsonNode t = table("Endpoints", """
        {"metadata":{"name":"web"},"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],
          "notReadyAddresses":[{"ip":"10.0.0.9"}],"ports":[{"port":80},{"port":443}]}]}""");
    assertThat(columns(t)).containsExactly("Name", "Endpoints", "Age");
    assertThat(cells(t)).isEqualTo("[\"web\",\"10.0.0.1:80,10.0.0.1:443,10.0.0.2:80 + 1 more...\",\"5m\"]");
    assertThat(cells(table("Endpoints", "{\"metadata\":{\"name\":\"e\"}}"))).isEqualTo("[\"e\",\"<none>\",\"5m\"]");
  }

  @Test
  void eventsPrintWhatHappenedWithoutNameOrAge() throws Exception {
    JsonNode t = table("Event", """
        {"metadata":{"name":"web-1.17a"},"type":"Warning","reason":"BackOff","message":" Back-off restarting ",
         "involvedObject":{"kind":"Pod","name":"web-1","fieldPath":"spec.containers{c}"},
         "source":{"component":"kubelet","host":"n1"},"count":7,
         "firstTimestamp":"2026-01-01T00:30:00Z","lastTimestamp":"2026-01-01T00:59:00Z"}""");
    assertThat(columns(t)).containsExactly("Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
        "First Seen", "Count", "Name");
    assertThat(t.get("columnDefinitions").findValuesAsText("priority"))
        .containsExactly("0", "0", "0", "0", "1", "1", "0", "1", "1", "1");
    assertThat(cells(t)).isEqualTo("[\"60s\",\"Warning\",\"BackOff\",\"pod/web-1\",\"spec.containers{c}\","
        + "\"kubelet, n1\",\"Back-off restarting\",\"30m\",7,\"web-1.17a\"]");
  }

  @Test
  void configMapsSecretsAndNamespacesKeepTheirColumns() throws Exception {
    assertThat(cells(table("ConfigMap", "{\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"1\"},\"binaryData\":{\"b\":\"Ag==\"}}")))
        .isEqualTo("[\"c\",2,\"5m\"]");
    assertThat(cells(table("Secret", "{\"metadata\":{\"name\":\"s\"},\"type\":\"kubernetes.io/tls\","
        + "\"data\":{\"tls.crt\":\"eA==\",\"tls.key\":\"eA==\"}}"))).isEqualTo("[\"s\",\"kubernetes.io/tls\",2,\"5m\"]");
    assertThat(cells(table("Namespace", "{\"metadata\":{\"name\":\"n\"},\"status\":{\"phase\":\"Terminating\"}}")))
        .isEqualTo("[\"n\",\"Terminating\",\"5m\"]");
  }

  @Test
  void deploymentsPrintReadinessAndTheirTemplateWithSetBasedSelectors() throws Exception {
    JsonNode t = table("Deployment", """
        {"metadata":{"name":"web"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"},
          "matchExpressions":[{"key":"tier","operator":"In","values":["front","edge"]},{"key":"canary","operator":"DoesNotExist"}]},
          "template":{"spec":{"containers":[{"name":"c","image":"nginx:1.27"},{"name":"s","image":"envoy"}]}}},
         "status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}""");
    assertThat(columns(t)).containsExactly("Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images",
        "Selector");
    assertThat(cells(t)).isEqualTo("[\"web\",\"2/3\",3,2,\"5m\",\"c,s\",\"nginx:1.27,envoy\","
        + "\"app=web,!canary,tier in (edge,front)\"]");
  }

  @Test
  void replicaSetsPrintDesiredCurrentReady() throws Exception {
    JsonNode t = table("ReplicaSet", """
        {"metadata":{"name":"web-5d4f"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
          "template":{"spec":{"containers":[{"name":"c","image":"nginx"}]}}},"status":{"replicas":3,"readyReplicas":1}}""");
    assertThat(columns(t)).containsExactly("Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector");
    assertThat(cells(t)).isEqualTo("[\"web-5d4f\",3,3,1,\"5m\",\"c\",\"nginx\",\"app=web\"]");
  }

  @Test
  void ingressesPrintClassHostsAddressAndPorts() throws Exception {
    JsonNode t = table("Ingress", """
        {"metadata":{"name":"i"},"spec":{"ingressClassName":"berth","tls":[{"hosts":["a.example.com"]}],
          "rules":[{"host":"a.example.com"},{"host":"b.example.com"},{"host":"c.example.com"},{"host":"d.example.com"}]},
         "status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.1"},{"hostname":"lb.example.com"}]}}}""");
    assertThat(columns(t)).containsExactly("Name", "Class", "Hosts", "Address", "Ports", "Age");
    assertThat(cells(t)).isEqualTo("[\"i\",\"berth\",\"a.example.com,b.example.com,c.example.com + 1 more...\","
        + "\"192.0.2.1,lb.example.com\",\"80, 443\",\"5m\"]");
    assertThat(cells(table("Ingress", "{\"metadata\":{\"name\":\"j\"},\"spec\":{\"defaultBackend\":{}}}")))
        .isEqualTo("[\"j\",\"<none>\",\"*\",\"\",\"80\",\"5m\"]");
  }

  @Test
  void ingressClassesPrintControllerAndParameters() throws Exception {
    JsonNode t = table("IngressClass", """
        {"metadata":{"name":"berth"},"spec":{"controller":"berth.io/ingress",
          "parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"external-lb"}}}""");
    assertThat(columns(t)).containsExactly("Name", "Controller", "Parameters", "Age");
    assertThat(cells(t)).isEqualTo("[\"berth\",\"berth.io/ingress\",\"IngressParameters.k8s.example.com/external-lb\",\"5m\"]");
    assertThat(cells(table("IngressClass", "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"controller\":\"a.io/b\"}}")))
        .isEqualTo("[\"x\",\"a.io/b\",\"<none>\",\"5m\"]");
  }

  @Test
  void leasesPrintTheirHolder() throws Exception {
    JsonNode t = table("Lease", "{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"holderIdentity\":\"n1_abc\"}}");
    assertThat(columns(t)).containsExactly("Name", "Holder", "Age");
    assertThat(cells(t)).isEqualTo("[\"n1\",\"n1_abc\",\"5m\"]");
  }

  @Test
  void podsPrintReadinessGatesAndNominatedNode() throws Exception {
    JsonNode t = table("Pod", """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"c"}],"readinessGates":[{"conditionType":"a/lb"},{"conditionType":"b"}]},
         "status":{"phase":"Pending","nominatedNodeName":"n2","conditions":[{"type":"a/lb","status":"True"}]}}""");
    assertThat(cells(t)).isEqualTo("[\"p\",\"0/1\",\"Pending\",\"0\",\"5m\",\"<none>\",\"<none>\",\"n2\",\"1/2\"]");
  }
}
