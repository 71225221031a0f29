package io.berth.agent.contract;

import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.runtime.process.ProcessRuntime;
import java.nio.file.Path;

/** The agent's contract on host processes (busybox from the host: scripts/install-test-deps.sh installs it). */
class ProcessRuntimeContractIT extends RuntimeContract {
  @Override
  protected ContainerRuntime runtime(String node, Path dataDir) {
    return new ProcessRuntime(dataDir.resolve("process"), node);
  }

  @Override
  protected String nodeAddress() {
    return "127.0.1.201";
  }

  @Override
  protected int portRangeFirst() {
    return 41000;
  }
}
