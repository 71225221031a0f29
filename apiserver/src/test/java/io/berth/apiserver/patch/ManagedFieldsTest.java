package io.berth.apiserver.patch;

import static io.berth.apiserver.patch.JsonPatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagedFieldsTest {
  /** FieldsV1 as kube-apiserver writes it for a deployment created with kubectl create. */
  private static final String FIELDS_V1 = "{'f:metadata':{'f:finalizers':{'.':{},'v:\\\"a\\\"':{}},"
      + "'f:labels':{'.':{},'f:app':{}}},'f:spec':{'f:template':{'f:spec':{'f:containers':{"
      + "'k:{\\\"name\\\":\\\"nginx\\\"}':{'.':{},'f:image':{},'f:name':{}}}}}}}";

  @Test
  void fieldsV1ReadsAndWritesBackUnchanged() throws Exception {
    JsonNode object = json("{'metadata':{'managedFields':[{'manager':'kubectl-create','operation':'Update',"
        + "'apiVersion':'apps/v1','time':'2025-01-01T00:00:00Z','fieldsType':'FieldsV1','fieldsV1':" + FIELDS_V1 + "}]}}");

    List<ManagedFieldsEntry> entries = ManagedFields.read(object);
    ObjectNode copy = object.deepCopy();
    ManagedFields.write(copy, entries);

    assertThat(entries).singleElement().satisfies(e -> assertThat(e.fields()).hasSize(7));
    assertThat(copy).isEqualTo(object);
  }

  @Test
  void pathsPrintAsInApplyConflicts() {
    FieldPath image = FieldPath.ROOT.field("spec").field("containers")
        .key((ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("name", "nginx"))
        .field("image");
    assertThat(image).hasToString(".spec.containers[name=\"nginx\"].image");
    assertThat(FieldPath.ROOT.field("metadata").field("finalizers").value(com.fasterxml.jackson.databind.node.TextNode
        .valueOf("a"))).hasToString(".metadata.finalizers[=\"a\"]");
  }
}
