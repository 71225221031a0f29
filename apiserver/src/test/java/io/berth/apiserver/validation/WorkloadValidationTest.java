package io.berth.apiserver.validation;

import static io.berth.apiserver.validation.Objects.errors;
import static io.berth.apiserver.validation.Objects.type;
import static io.berth.apiserver.validation.Objects.updateErrors;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.apiserver.registry.ResourceType;
import org.junit.jupiter.api.Test;

class WorkloadValidationTest {
  private final ResourceType deployments = type("apps", "deployments");
  private final ResourceType replicaSets = type("apps", "replicasets");

  private static String workload(String selector, String templateLabels, String extraSpec) {
    return "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{" + extraSpec
        + (selector == null ? "" : "\"selector\":" + selector + ",")
        + "\"template\":{\"metadata\":{\"labels\":" + templateLabels + "},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}";
  }

  @Test
  void aValidDeploymentAndReplicaSetPass() {
    assertThat(errors(deployments, workload("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\"}", ""))).isEmpty();
    assertThat(errors(replicaSets, workload("{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\","
        + "\"values\":[\"web\"]}]}", "{\"app\":\"web\"}", ""))).isEmpty();
  }

  @Test
  void theSelectorIsRequiredNonEmptyAndMustMatchTheTemplate() {
    assertThat(errors(deployments, workload(null, "{\"app\":\"web\"}", "")))
        .containsExactly("spec.selector: Required value");
    assertThat(errors(deployments, workload("{}", "{\"app\":\"web\"}", ""))).singleElement().asString()
        .startsWith("spec.selector: Invalid value: ").endsWith("empty selector is invalid for deployment");
    assertThat(errors(replicaSets, workload("{\"matchLabels\":{\"app\":\"api\"}}", "{\"app\":\"web\"}", "")))
        .containsExactly("spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: "
            + "`selector` does not match template `labels`");
  }

  @Test
  void replicasAndHistoryAreNonNegativeAndTemplatesRestartAlways() {
    String spec = "\"replicas\":-1,\"revisionHistoryLimit\":-2,";
    String d = workload("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\"}", spec)
        .replace("\"containers\"", "\"restartPolicy\":\"Never\",\"containers\"");
    assertThat(errors(deployments, d)).containsExactlyInAnyOrder(
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0",
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
  }

  @Test
  void aRolloutMustBeAbleToMove() {
    String zero = "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":\"0%\"}},";
    assertThat(errors(deployments, workload("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\"}", zero)))
        .containsExactly("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0");
    String recreate = "\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":{\"maxSurge\":1}},";
    assertThat(errors(deployments, workload("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\"}", recreate)))
        .containsExactly("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
    String deadline = "\"minReadySeconds\":700,";
    assertThat(errors(deployments, workload("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\"}", deadline)))
        .containsExactly("spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds");
  }

  @Test
  void theSelectorCannotChangeAfterCreation() {
    String old = workload("{\"matchLabels\":{\"app\":\"web\"}}", "{\"app\":\"web\",\"v\":\"1\"}", "");
    String updated = workload("{\"matchLabels\":{\"app\":\"web\",\"v\":\"1\"}}", "{\"app\":\"web\",\"v\":\"1\"}", "");
    assertThat(updateErrors(deployments, updated, old)).singleElement().asString()
        .startsWith("spec.selector: Invalid value: {").endsWith("field is immutable");
    assertThat(updateErrors(replicaSets, updated, old)).hasSize(1);
    assertThat(updateErrors(deployments, old.replace("nginx", "nginx:2"), old)).isEmpty();
  }
}
