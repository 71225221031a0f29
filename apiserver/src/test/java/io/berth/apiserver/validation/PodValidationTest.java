package io.berth.apiserver.validation;

import static io.berth.apiserver.validation.Objects.errors;
import static io.berth.apiserver.validation.Objects.type;
import static io.berth.apiserver.validation.Objects.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.registry.ResourceType;
import org.junit.jupiter.api.Test;

class PodValidationTest {
  private final ResourceType pods = type("", "pods");

  private static String pod(String spec) {
    return "{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},\"spec\":" + spec + "}";
  }

  @Test
  void aPodNeedsContainersWithNamesAndImages() {
    assertThat(errors(pods, pod("{}"))).containsExactly("spec.containers: Required value");
    assertThat(errors(pods, pod("{\"containers\":[{\"name\":\"c\"}]}")))
        .containsExactly("spec.containers[0].image: Required value");
  }

  @Test
  void containerNamesAreUniqueLabelsAcrossInitAndRegularContainers() {
    assertThat(errors(pods, pod("""
        {"initContainers":[{"name":"c","image":"a"}],"containers":[{"name":"c","image":"a"},{"name":"B","image":"a"}]}""")))
        .hasSize(2)
        .contains("spec.containers[0].name: Duplicate value: \"c\"")
        .anySatisfy(e -> assertThat(e).startsWith("spec.containers[1].name: Invalid value: \"B\""));
  }

  @Test
  void portsAreInRangeWithKnownProtocolsAndUniqueNames() {
    assertThat(errors(pods, pod("""
        {"containers":[{"name":"c","image":"a","ports":[
          {"containerPort":70000},{"containerPort":80,"protocol":"HTTP"},
          {"containerPort":81,"name":"web"},{"containerPort":82,"name":"web"},{"containerPort":83,"hostPort":-1}]}]}""")))
        .containsExactly(
            "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "spec.containers[0].ports[3].name: Duplicate value: \"web\"",
            "spec.containers[0].ports[4].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive");
  }

  @Test
  void enumerationsDurationsMountsAndRequestsAreChecked() {
    assertThat(errors(pods, pod("""
        {"restartPolicy":"Sometimes","terminationGracePeriodSeconds":-1,"activeDeadlineSeconds":0,
         "containers":[{"name":"c","image":"a","imagePullPolicy":"Maybe","volumeMounts":[{"name":"data","mountPath":"/d"}],
           "env":[{"name":"1X"}],"resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}}]}""")))
        .contains(
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\", \"OnFailure\"",
            "spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0",
            "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
            "spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1")
        .anySatisfy(e -> assertThat(e).startsWith("spec.containers[0].imagePullPolicy: Unsupported value: \"Maybe\""))
        .anySatisfy(e -> assertThat(e).startsWith("spec.containers[0].env[0].name: Invalid value: \"1X\""));
  }

  @Test
  void tolerationsMustMakeSense() {
    assertThat(errors(pods, pod("""
        {"containers":[{"name":"c","image":"a"}],"tolerations":[
          {"key":"k","operator":"Exists","value":"v"},{"operator":"Equal","value":"v"},{"key":"k","effect":"Sometimes"}]}""")))
        .contains("spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'")
        .anySatisfy(e -> assertThat(e).startsWith("spec.tolerations[1].operator: Invalid value: \"Equal\": operator must be Exists"))
        .anySatisfy(e -> assertThat(e).startsWith("spec.tolerations[2].effect: Unsupported value: \"Sometimes\""));
  }

  @Test
  void aRunningPodMayChangeImagesDeadlineTolerationsAndGracePeriodOnly() {
    String old = pod("""
        {"containers":[{"name":"c","image":"a:1"}],"activeDeadlineSeconds":100,
         "tolerations":[{"key":"k","operator":"Exists"}]}""");
    String allowed = pod("""
        {"containers":[{"name":"c","image":"a:2"}],"activeDeadlineSeconds":50,"terminationGracePeriodSeconds":10,
         "tolerations":[{"key":"k","operator":"Exists"},{"key":"j","operator":"Exists"}]}""");
    assertThat(updateErrors(pods, allowed, old)).isEmpty();

    String changedPorts = pod("""
        {"containers":[{"name":"c","image":"a:1","ports":[{"containerPort":80}]}],"activeDeadlineSeconds":100,
         "tolerations":[{"key":"k","operator":"Exists"}]}""");
    assertThat(updateErrors(pods, changedPorts, old)).singleElement().asString()
        .startsWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`");
  }

  @Test
  void deadlinesOnlyShortenAndTolerationsAreOnlyAdded() {
    String old = pod("""
        {"containers":[{"name":"c","image":"a:1"}],"activeDeadlineSeconds":100,
         "tolerations":[{"key":"k","operator":"Exists"}]}""");
    String worse = pod("{\"containers\":[{\"name\":\"c\",\"image\":\"a:1\"}],\"activeDeadlineSeconds\":200}");
    assertThat(updateErrors(pods, worse, old)).containsExactly(
        "spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value",
        "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
  }
}
