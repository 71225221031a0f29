package io.berth.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlowStartTest {

  @Test
  void batchesDoubleUntilEverythingIsCreated() {
    List<Integer> batches = new ArrayList<>();

    int created = SlowStart.run(10, 1, size -> {
      batches.add(size);
      return size;
    });

    assertThat(created).isEqualTo(10);
    assertThat(batches).containsExactly(1, 2, 4, 3);
  }

  @Test
  void theFirstBatchWithAFailureIsTheLast() {
    List<Integer> batches = new ArrayList<>();

    int created = SlowStart.run(100, 1, size -> {
      batches.add(size);
      return size == 4 ? 3 : size;
    });

    assertThat(batches).containsExactly(1, 2, 4);
    assertThat(created).isEqualTo(6);
  }

  @Test
  void whenEveryCreateFailsOnlyOneIsTried() {
    List<Integer> batches = new ArrayList<>();

    assertThat(SlowStart.run(50, 1, size -> {
      batches.add(size);
      return 0;
    })).isZero();
    assertThat(batches).containsExactly(1);
  }
}
