package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConfigMapsTest {

  @Test
  void theResourceVersionOfAnObjectOrAListIsTheFirstOne() {
    assertThat(ConfigMaps.resourceVersion(
        "{\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"70\"},\"items\":[{\"metadata\":"
            + "{\"resourceVersion\":\"12\"}}]}")).isEqualTo(70);
    assertThat(ConfigMaps.resourceVersion("{\"metadata\":{\"name\":\"a\",\"resourceVersion\" : \"5\"}}")).isEqualTo(5);
    assertThat(ConfigMaps.resourceVersion("{\"kind\":\"Status\",\"code\":409}")).isZero();
  }

  @Test
  void anUpdateBodyCarriesItsResourceVersionOnlyWhenGiven() {
    String conditional = new String(ConfigMaps.body("u-1", 42, "v"), StandardCharsets.UTF_8);
    String unconditional = new String(ConfigMaps.body("u-1", 0, "v"), StandardCharsets.UTF_8);

    assertThat(conditional).contains("\"name\":\"u-1\",\"resourceVersion\":\"42\"");
    assertThat(unconditional).doesNotContain("resourceVersion");
  }

  @Test
  void payloadsKeepTheirSizeAndStartWithTheirHead() {
    assertThat(ConfigMaps.payload(7)).hasSize(ConfigMaps.PAYLOAD_CHARS).startsWith("7-x");
    assertThat(ConfigMaps.payload("round-1-123")).startsWith("round-1-123-");
  }

  @Test
  void storageKeysAreTheApiServersOwn() {
    assertThat(ConfigMaps.storageKey("ns", "cm-1")).isEqualTo("/registry/core/configmaps/ns/cm-1");
  }
}
