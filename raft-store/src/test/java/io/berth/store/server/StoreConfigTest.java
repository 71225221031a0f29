package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
  private static final StoreConfig CONFIG = StoreConfig.builder().name("n1").dataDir(Path.of("/tmp/n1"))
      .peers(Map.of("n1", "127.0.0.1:2380")).build();

  @Test
  void aJoiningMemberIsGivenTimeToCatchUpInAppendsItCanAnswerQuickly() {
    RaftProperties p = CONFIG.toRaftProperties(2380);
    // Ratis' defaults (3 x the 500 ms election timeout; no entry limit) left a joiner in STARTING
    // on a loaded machine: chaos bug 2.
    assertThat(RaftServerConfigKeys.stagingTimeout(p).toLong(TimeUnit.SECONDS)).isEqualTo(20);
    assertThat(RaftServerConfigKeys.Log.Appender.bufferElementLimit(p)).isEqualTo(1024)
        .isLessThan(RaftServerConfigKeys.Log.queueElementLimit(p));
    assertThat(RaftServerConfigKeys.Rpc.timeoutMax(p).toLong(TimeUnit.MILLISECONDS)).isEqualTo(500);
  }
}
