package io.berth.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6902's own examples (appendix A), then what kubectl patch --type=json users rely on. */
class JsonPatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "A.1 add member     | {'foo':'bar'}                   | [{'op':'add','path':'/baz','value':'qux'}]                | {'baz':'qux','foo':'bar'}",
      "A.2 add element    | {'foo':['bar','baz']}           | [{'op':'add','path':'/foo/1','value':'qux'}]              | {'foo':['bar','qux','baz']}",
      "A.3 remove member  | {'baz':'qux','foo':'bar'}       | [{'op':'remove','path':'/baz'}]                           | {'foo':'bar'}",
      "A.4 remove element | {'foo':['bar','qux','baz']}     | [{'op':'remove','path':'/foo/1'}]                         | {'foo':['bar','baz']}",
      "A.5 replace        | {'baz':'qux','foo':'bar'}       | [{'op':'replace','path':'/baz','value':'boo'}]            | {'baz':'boo','foo':'bar'}",
      "A.6 move member    | {'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}} | [{'op':'move','from':'/foo/waldo','path':'/qux/thud'}] | {'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}",
      "A.7 move element   | {'foo':['all','grass','cows','eat']} | [{'op':'move','from':'/foo/1','path':'/foo/3'}]      | {'foo':['all','cows','eat','grass']}",
      "A.8 test passes    | {'baz':'qux','foo':['a',2,'c']} | [{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}] | {'baz':'qux','foo':['a',2,'c']}",
      "A.10 nested add    | {'foo':'bar'}                   | [{'op':'add','path':'/child','value':{'grandchild':{}}}]  | {'foo':'bar','child':{'grandchild':{}}}",
      "A.11 extra members | {'foo':'bar'}                   | [{'op':'add','path':'/baz','value':'qux','xyz':123}]      | {'foo':'bar','baz':'qux'}",
      "A.14 ~ escaping    | {'/':9,'~1':10}                 | [{'op':'test','path':'/~01','value':10}]                  | {'/':9,'~1':10}",
      "A.16 add array     | {'foo':['bar']}                 | [{'op':'add','path':'/foo/-','value':['abc','def']}]      | {'foo':['bar',['abc','def']]}",
      "copy               | {'a':{'b':1}}                   | [{'op':'copy','from':'/a','path':'/c'}]                   | {'a':{'b':1},'c':{'b':1}}",
      "replace root       | {'a':1}                         | [{'op':'replace','path':'','value':{'b':2}}]              | {'b':2}",
      "slash in a key     | {'metadata':{'labels':{'app.kubernetes.io/name':'x'}}} | [{'op':'remove','path':'/metadata/labels/app.kubernetes.io~1name'}] | {'metadata':{'labels':{}}}",
      "test null value    | {'a':null}                      | [{'op':'test','path':'/a','value':null}]                  | {'a':null}",
      "numbers by value   | {'a':1}                         | [{'op':'test','path':'/a','value':1.0}]                   | {'a':1}"})
  void appliesOperations(String name, String target, String patch, String expected) throws Exception {
    assertThat(JsonPatch.apply(json(target), (ArrayNode) json(patch))).isEqualTo(json(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "A.9 failed test          | {'baz':'qux'}          | [{'op':'test','path':'/baz','value':'bar'}]",
      "A.12 missing parent      | {'foo':'bar'}          | [{'op':'add','path':'/baz/bat','value':'qux'}]",
      "A.15 string is not 10    | {'/':9,'~1':10}        | [{'op':'test','path':'/~01','value':'10'}]",
      "remove missing member    | {'a':1}                | [{'op':'remove','path':'/b'}]",
      "replace missing member   | {'a':1}                | [{'op':'replace','path':'/b','value':2}]",
      "index past the end       | {'a':[1]}              | [{'op':'add','path':'/a/2','value':2}]",
      "leading zero index       | {'a':[1,2]}            | [{'op':'remove','path':'/a/01'}]",
      "dash only for add        | {'a':[1]}              | [{'op':'remove','path':'/a/-'}]",
      "bad escape               | {'a':1}                | [{'op':'remove','path':'/~2'}]",
      "no leading slash         | {'a':1}                | [{'op':'remove','path':'a'}]",
      "move into itself         | {'a':{'b':{}}}         | [{'op':'move','from':'/a','path':'/a/b/c'}]",
      "unknown op               | {'a':1}                | [{'op':'frobnicate','path':'/a'}]",
      "add without value        | {'a':1}                | [{'op':'add','path':'/b'}]",
      "remove the whole doc     | {'a':1}                | [{'op':'remove','path':''}]"})
  void refusesOperationsThatDoNotApply(String name, String target, String patch) throws Exception {
    assertThatThrownBy(() -> JsonPatch.apply(json(target), (ArrayNode) json(patch)))
        .isInstanceOfSatisfying(PatchFailure.class, f -> assertThat(f.kind()).isEqualTo(PatchFailure.Kind.NOT_APPLICABLE));
  }

  @Test
  void aFailedTestLeavesTheTargetUntouched() throws Exception {
    JsonNode target = json("{'a':1}");
    assertThatThrownBy(() -> JsonPatch.apply(target,
        (ArrayNode) json("[{'op':'add','path':'/b','value':2},{'op':'test','path':'/a','value':5}]")))
        .hasMessageContaining("testing value /a failed");
    assertThat(target).isEqualTo(json("{'a':1}"));
  }

  @Test
  void operationsApplyInOrderAndSeeEachOther() throws Exception {
    JsonNode patched = JsonPatch.apply(json("{'spec':{'containers':[{'name':'a','image':'x'}]}}"), (ArrayNode) json(
        "[{'op':'add','path':'/spec/containers/-','value':{'name':'b'}},"
            + "{'op':'replace','path':'/spec/containers/1/name','value':'c'},"
            + "{'op':'test','path':'/spec/containers/1','value':{'name':'c'}}]"));
    assertThat(patched.at("/spec/containers/1/name").asText()).isEqualTo("c");
  }

  static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }
}
