package io.berth.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ObjectCodecTest {
  private final ResourceType leases = ResourceTable.builtIn().find("coordination.k8s.io", "v1", "leases").orElseThrow();

  @Test
  void leaseTimesRoundTripInKubernetesMicroTimeFormat() {
    HasMetadata lease = ObjectCodec.decodeBody("""
        {"metadata":{"name":"n1"},"spec":{"holderIdentity":"n1","leaseDurationSeconds":40,
         "renewTime":"2026-01-01T00:00:05.123456Z","acquireTime":"2026-01-01T00:00:00.000000Z"}}"""
        .getBytes(StandardCharsets.UTF_8), leases);
    JsonNode stored = ObjectCodec.toTree(ObjectCodec.decodeStored(ObjectCodec.encode(lease), leases));
    assertThat(stored.at("/spec/renewTime").asText()).isEqualTo("2026-01-01T00:00:05.123456Z");
    assertThat(stored.at("/spec/acquireTime").asText()).isEqualTo("2026-01-01T00:00:00.000000Z");
  }
}
