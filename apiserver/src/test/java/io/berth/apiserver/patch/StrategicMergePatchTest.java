package io.berth.apiserver.patch;

import static io.berth.apiserver.patch.JsonPatchTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.patch.Shape.Struct;
import org.junit.jupiter.api.Test;

/**
 * The examples of Kubernetes' "Update API Objects in Place Using kubectl patch" task
 * and of the strategic merge patch design document, then each directive alone.
 */
class StrategicMergePatchTest {
  private static final Struct DEPLOYMENT = PatchSchemas.forKind("apps/v1", "Deployment");
  private static final Struct POD = PatchSchemas.forKind("v1", "Pod");

  private static final String PATCH_DEMO = "{'spec':{'replicas':2,'template':{'spec':{"
      + "'containers':[{'name':'patch-demo-ctr','image':'nginx'}],"
      + "'tolerations':[{'effect':'NoSchedule','key':'dedicated','value':'test-team'}]}}}}";

  @Test
  void containersMergeByNameInsteadOfBeingReplaced() throws Exception {
    JsonNode patched = apply(PATCH_DEMO,
        "{'spec':{'template':{'spec':{'containers':[{'name':'patch-demo-ctr-2','image':'redis'}]}}}}", DEPLOYMENT);
    assertThat(patched.at("/spec/template/spec/containers")).isEqualTo(json(
        "[{'name':'patch-demo-ctr','image':'nginx'},{'name':'patch-demo-ctr-2','image':'redis'}]"));
    assertThat(patched.at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void aContainerNamedAgainIsMergedFieldByField() throws Exception {
    JsonNode patched = apply(PATCH_DEMO,
        "{'spec':{'template':{'spec':{'containers':[{'name':'patch-demo-ctr','image':'nginx:1.27'}]}}}}", DEPLOYMENT);
    assertThat(patched.at("/spec/template/spec/containers")).isEqualTo(json(
        "[{'name':'patch-demo-ctr','image':'nginx:1.27'}]"));
  }

  @Test
  void tolerationsHaveNoPatchStrategySoTheyAreReplaced() throws Exception {
    JsonNode patched = apply(PATCH_DEMO,
        "{'spec':{'template':{'spec':{'tolerations':[{'effect':'NoSchedule','key':'disktype','value':'ssd'}]}}}}",
        DEPLOYMENT);
    assertThat(patched.at("/spec/template/spec/tolerations")).isEqualTo(json(
        "[{'effect':'NoSchedule','key':'disktype','value':'ssd'}]"));
  }

  @Test
  void retainKeysClearsTheFieldsThePatchDoesNotName() throws Exception {
    JsonNode patched = apply(
        "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}}}}",
        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}", DEPLOYMENT);
    assertThat(patched.at("/spec/strategy")).isEqualTo(json("{'type':'Recreate'}"));
  }

  @Test
  void patchContentOutsideRetainKeysIsNotApplicable() {
    assertThatThrownBy(() -> apply("{'spec':{'strategy':{'type':'Recreate'}}}",
        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
        DEPLOYMENT))
        .isInstanceOfSatisfying(PatchFailure.class, f -> assertThat(f.kind()).isEqualTo(PatchFailure.Kind.NOT_APPLICABLE));
  }

  @Test
  void deleteDirectiveRemovesAKeyedListItem() throws Exception {
    JsonNode patched = apply("{'spec':{'containers':[{'name':'nginx','image':'nginx'},{'name':'log','image':'busybox'}]}}",
        "{'spec':{'containers':[{'name':'nginx','$patch':'delete'}]}}", POD);
    assertThat(patched.at("/spec/containers")).isEqualTo(json("[{'name':'log','image':'busybox'}]"));
  }

  @Test
  void deleteDirectiveInAMapRemovesTheMap() throws Exception {
    JsonNode patched = apply("{'spec':{'affinity':{'nodeAffinity':{}},'hostname':'h'}}",
        "{'spec':{'affinity':{'$patch':'delete'}}}", POD);
    assertThat(patched.get("spec")).isEqualTo(json("{'hostname':'h'}"));
  }

  @Test
  void replaceDirectiveInAMapReplacesItWhole() throws Exception {
    JsonNode patched = apply("{'metadata':{'labels':{'a':'1','b':'2'}}}",
        "{'metadata':{'labels':{'$patch':'replace','c':'3'}}}", POD);
    assertThat(patched.at("/metadata/labels")).isEqualTo(json("{'c':'3'}"));
  }

  @Test
  void replaceDirectiveInAListReplacesItWhole() throws Exception {
    JsonNode patched = apply("{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}",
        "{'spec':{'containers':[{'name':'c','image':'z'},{'$patch':'replace'}]}}", POD);
    assertThat(patched.at("/spec/containers")).isEqualTo(json("[{'name':'c','image':'z'}]"));
  }

  @Test
  void mergeDirectiveIsTheDefault() throws Exception {
    JsonNode patched = apply("{'metadata':{'labels':{'a':'1'}}}", "{'metadata':{'labels':{'$patch':'merge','b':'2'}}}", POD);
    assertThat(patched.at("/metadata/labels")).isEqualTo(json("{'a':'1','b':'2'}"));
  }

  @Test
  void nullDeletesAKeyAndMapsMergeRecursively() throws Exception {
    JsonNode patched = apply("{'metadata':{'labels':{'a':'1','b':'2'},'annotations':{'x':'y'}}}",
        "{'metadata':{'labels':{'a':null,'c':'3'}}}", POD);
    assertThat(patched.get("metadata")).isEqualTo(json("{'labels':{'b':'2','c':'3'},'annotations':{'x':'y'}}"));
  }

  @Test
  void primitiveListsWithMergeStrategyMergeAsSets() throws Exception {
    JsonNode patched = apply("{'metadata':{'finalizers':['a','b']}}", "{'metadata':{'finalizers':['b','c','c']}}", POD);
    assertThat(patched.at("/metadata/finalizers")).isEqualTo(json("['a','b','c']"));
  }

  @Test
  void deleteFromPrimitiveListRemovesValues() throws Exception {
    JsonNode patched = apply("{'metadata':{'finalizers':['a','b','c']}}",
        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b'],'finalizers':['d']}}", POD);
    assertThat(patched.at("/metadata/finalizers")).isEqualTo(json("['a','c','d']"));
  }

  @Test
  void primitiveListsWithoutStrategyAreReplaced() throws Exception {
    JsonNode patched = apply("{'spec':{'containers':[{'name':'a','args':['x','y']}]}}",
        "{'spec':{'containers':[{'name':'a','args':['z']}]}}", POD);
    assertThat(patched.at("/spec/containers/0/args")).isEqualTo(json("['z']"));
  }

  @Test
  void setElementOrderOrdersTheMergedList() throws Exception {
    JsonNode patched = apply("{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
        "{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'b'},{'name':'a'}],'containers':[{'name':'c'}]}}",
        POD);
    assertThat(patched.at("/spec/containers")).isEqualTo(json("[{'name':'c'},{'name':'b'},{'name':'a'}]"));
  }

  @Test
  void nestedKeyedListsMergeByTheirOwnKeys() throws Exception {
    JsonNode patched = apply("{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80}],"
            + "'env':[{'name':'X','value':'1'}],'volumeMounts':[{'mountPath':'/data','name':'d'}]}]}}",
        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':443}],"
            + "'env':[{'name':'X','value':'2'},{'name':'Y','value':'3'}],'volumeMounts':[{'mountPath':'/logs','name':'l'}]}]}}",
        POD);
    JsonNode container = patched.at("/spec/containers/0");
    assertThat(container.get("ports")).isEqualTo(json("[{'containerPort':80},{'containerPort':443}]"));
    assertThat(container.get("env")).isEqualTo(json("[{'name':'X','value':'2'},{'name':'Y','value':'3'}]"));
    assertThat(container.get("volumeMounts")).hasSize(2);
  }

  @Test
  void conditionsMergeByType() throws Exception {
    JsonNode patched = apply("{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Initialized','status':'True'}]}}",
        "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}", POD);
    assertThat(patched.at("/status/conditions")).isEqualTo(json(
        "[{'type':'Ready','status':'True'},{'type':'Initialized','status':'True'}]"));
  }

  @Test
  void servicePortsMergeByPort() throws Exception {
    JsonNode patched = apply("{'spec':{'ports':[{'port':80,'targetPort':8080}]}}",
        "{'spec':{'ports':[{'port':80,'targetPort':9090},{'port':443}]}}", PatchSchemas.forKind("v1", "Service"));
    assertThat(patched.at("/spec/ports")).isEqualTo(json("[{'port':80,'targetPort':9090},{'port':443}]"));
  }

  @Test
  void directivesInANewMapAreAppliedNotStored() throws Exception {
    JsonNode patched = apply("{}", "{'spec':{'containers':[{'name':'a','$patch':'delete'},{'name':'b'}]}}", POD);
    assertThat(patched).isEqualTo(json("{'spec':{'containers':[{'name':'b'}]}}"));
  }

  @Test
  void anItemWithoutItsMergeKeyIsMalformed() {
    assertThatThrownBy(() -> apply("{}", "{'spec':{'containers':[{'image':'x'}]}}", POD))
        .isInstanceOfSatisfying(PatchFailure.class, f -> assertThat(f.kind()).isEqualTo(PatchFailure.Kind.MALFORMED))
        .hasMessageContaining("does not contain declared merge key: name");
  }

  @Test
  void anUnknownDirectiveIsMalformed() {
    assertThatThrownBy(() -> apply("{}", "{'metadata':{'$patch':'explode'}}", POD))
        .isInstanceOfSatisfying(PatchFailure.class, f -> assertThat(f.kind()).isEqualTo(PatchFailure.Kind.MALFORMED));
  }

  @Test
  void theLiveObjectIsNotModified() throws Exception {
    JsonNode live = json(PATCH_DEMO);
    StrategicMergePatch.apply(live, (ObjectNode) json("{'spec':{'replicas':5}}"), DEPLOYMENT);
    assertThat(live).isEqualTo(json(PATCH_DEMO));
  }

  private static JsonNode apply(String live, String patch, Struct shape) throws Exception {
    return StrategicMergePatch.apply(json(live), (ObjectNode) json(patch), shape);
  }
}
