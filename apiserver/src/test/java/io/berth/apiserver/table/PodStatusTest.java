package io.berth.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.rest.ObjectCodec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodStatusTest {
  private final Ages ages = new Ages(Instant.parse("2026-01-01T01:00:00Z"));

  private static JsonNode pod(String spec, String status) throws Exception {
    return ObjectCodec.JSON.readTree("{\"metadata\":{\"name\":\"p\"},\"spec\":" + spec + ",\"status\":" + status + "}");
  }

  private static final String ONE = "{\"containers\":[{\"name\":\"c\"}]}";

  @Test
  void aPendingPodWithoutStatusesShowsItsPhase() throws Exception {
    assertThat(PodStatus.of(pod(ONE, "{\"phase\":\"Pending\"}")).reason()).isEqualTo("Pending");
  }

  @Test
  void waitingReasonsWinOverThePhase() throws Exception {
    JsonNode creating = pod(ONE, """
        {"phase":"Pending","containerStatuses":[{"name":"c","state":{"waiting":{"reason":"ContainerCreating"}}}]}""");
    assertThat(PodStatus.of(creating).reason()).isEqualTo("ContainerCreating");
    JsonNode crashing = pod(ONE, """
        {"phase":"Running","containerStatuses":[{"name":"c","restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}},
          "lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-01-01T00:55:00Z"}}}]}""");
    PodStatus status = PodStatus.of(crashing);
    assertThat(status.reason()).isEqualTo("CrashLoopBackOff");
    assertThat(status.restarts(ages)).isEqualTo("4 (5m ago)");
  }

  @Test
  void terminatedContainersShowTheirReasonOrExitCode() throws Exception {
    assertThat(PodStatus.of(pod(ONE, """
        {"phase":"Succeeded","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}""")
        ).reason()).isEqualTo("Completed");
    assertThat(PodStatus.of(pod(ONE, """
        {"phase":"Failed","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":137}}}]}""")).reason())
        .isEqualTo("ExitCode:137");
    assertThat(PodStatus.of(pod(ONE, """
        {"phase":"Failed","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":0,"signal":9}}}]}""")).reason())
        .isEqualTo("Signal:9");
  }

  @Test
  void aCompletedContainerBesideARunningOneIsNotCompleted() throws Exception {
    String spec = "{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]}";
    JsonNode pod = pod(spec, """
        {"phase":"Running","conditions":[{"type":"Ready","status":"False"}],"containerStatuses":[
          {"name":"a","state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
          {"name":"b","ready":true,"state":{"running":{}}}]}""");
    assertThat(PodStatus.of(pod).reason()).isEqualTo("NotReady");
    assertThat(PodStatus.of(pod).ready()).isEqualTo("1/2");
  }

  @Test
  void initContainersAreReportedUntilTheyAllSucceed() throws Exception {
    String spec = "{\"initContainers\":[{\"name\":\"i1\"},{\"name\":\"i2\"}],\"containers\":[{\"name\":\"c\"}]}";
    assertThat(PodStatus.of(pod(spec, """
        {"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":0}}},
          {"name":"i2","state":{"running":{}}}]}""")).reason()).isEqualTo("Init:1/2");
    assertThat(PodStatus.of(pod(spec, """
        {"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}"""))
        .reason()).isEqualTo("Init:CrashLoopBackOff");
    assertThat(PodStatus.of(pod(spec, """
        {"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":2}}}]}""")).reason())
        .isEqualTo("Init:ExitCode:2");
  }

  @Test
  void aRunningSidecarDoesNotHoldInitializationUp() throws Exception {
    String spec = "{\"initContainers\":[{\"name\":\"proxy\",\"restartPolicy\":\"Always\"}],\"containers\":[{\"name\":\"c\"}]}";
    assertThat(PodStatus.of(pod(spec, """
        {"phase":"Running","initContainerStatuses":[{"name":"proxy","started":true,"state":{"running":{}}}],
         "containerStatuses":[{"name":"c","ready":true,"state":{"running":{}}}]}""")).reason()).isEqualTo("Running");
  }

  @Test
  void aPodBeingDeletedIsTerminatingUnlessItAlreadyFinished() throws Exception {
    JsonNode running = ObjectCodec.JSON.readTree("""
        {"metadata":{"name":"p","deletionTimestamp":"2026-01-01T00:59:00Z"},"spec":{"containers":[{"name":"c"}]},
         "status":{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"state":{"running":{}}}]}}""");
    assertThat(PodStatus.of(running).reason()).isEqualTo("Terminating");
    JsonNode done = ObjectCodec.JSON.readTree("""
        {"metadata":{"name":"p","deletionTimestamp":"2026-01-01T00:59:00Z"},"spec":{"containers":[{"name":"c"}]},
         "status":{"phase":"Succeeded","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}""");
    assertThat(PodStatus.of(done).reason()).isEqualTo("Completed");
  }

  @Test
  void schedulingGatedPodsSaySo() throws Exception {
    assertThat(PodStatus.of(pod(ONE, """
        {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}"""))
        .reason()).isEqualTo("SchedulingGated");
  }
}
