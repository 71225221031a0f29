package io.berth.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.api.Compare;
import org.junit.jupiter.api.Test;

class FencingTokenTest {
  private final FencingToken token = new FencingToken("/berth/elections/berth-controller-manager/694d7a1f3c2b1a05", 1234);

  @Test
  void headerValueIsTheRevisionAColonAndTheFullKey() {
    assertThat(token.headerValue()).isEqualTo("1234:/berth/elections/berth-controller-manager/694d7a1f3c2b1a05");
  }

  @Test
  void parseReadsWhatHeaderValueWroteEvenWithColonsInTheKey() {
    FencingToken odd = new FencingToken("/berth/elections/a:b/1f", 7);

    assertThat(FencingToken.parse(token.headerValue())).isEqualTo(token);
    assertThat(FencingToken.parse(odd.headerValue())).isEqualTo(odd);
  }

  @Test
  void parseRefusesValuesThatAreNotTokens() {
    assertThatThrownBy(() -> FencingToken.parse("/berth/elections/x/1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FencingToken.parse("abc:/k")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FencingToken.parse("0:/k")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void compareHoldsOnlyWhileTheKeyHasThisCreateRevision() {
    Compare compare = token.compare();

    assertThat(compare.getKey().toStringUtf8()).isEqualTo(token.key());
    assertThat(compare.getTarget()).isEqualTo(Compare.CompareTarget.CREATE);
    assertThat(compare.getResult()).isEqualTo(Compare.CompareResult.EQUAL);
    assertThat(compare.getCreateRevision()).isEqualTo(1234);
  }
}
