package io.berth.client.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void leaseTimesAreWrittenAsKubernetesMicroTimeAndReadBack() throws Exception {
    ZonedDateTime renew = ZonedDateTime.of(2025, 3, 1, 12, 30, 15, 123_456_000, ZoneOffset.UTC);
    Lease lease = new LeaseBuilder().withNewMetadata().withName("berth-scheduler").endMetadata()
        .withNewSpec().withHolderIdentity("server-1").withRenewTime(renew).endSpec().build();

    String json = Json.MAPPER.writeValueAsString(lease);
    Lease back = Json.MAPPER.readValue(json, Lease.class);

    assertThat(json).contains("\"renewTime\":\"2025-03-01T12:30:15.123456Z\"");
    assertThat(back.getSpec().getRenewTime().toInstant()).isEqualTo(renew.toInstant());
  }
}
