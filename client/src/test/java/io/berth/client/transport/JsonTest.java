package io.berth.client.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void aLeaseWithItsRenewTimeRoundTrips() throws Exception {
    ZonedDateTime renewed = ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC);
    Lease lease = new LeaseBuilder().withNewMetadata().withName("node-1").endMetadata()
        .withNewSpec().withRenewTime(renewed).endSpec().build();
    String json = Json.MAPPER.writeValueAsString(lease);
    assertThat(json).contains("\"renewTime\":\"2026-01-02T03:04:05.123456Z\"");
    assertThat(Json.MAPPER.readValue(json, Lease.class).getSpec().getRenewTime()).isEqualTo(renewed);
  }
}
