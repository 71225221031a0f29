package io.berth.agent.contract;

import io.berth.agent.runtime.ContainerRuntime;
import io.berth.agent.runtime.docker.DockerRuntime;
import io.berth.agent.testing.DockerEngine;
import java.nio.file.Path;

/** The agent's contract on the real Docker engine (skipped without one, except with CI=true). */
class DockerRuntimeContractIT extends RuntimeContract {
  @Override
  protected void requireRuntime() throws Exception {
    DockerEngine.require();
  }

  @Override
  protected ContainerRuntime runtime(String node, Path dataDir) {
    return new DockerRuntime(DockerRuntime.DEFAULT_HOST, node, "berth/busybox:test");
  }

  @Override
  protected String nodeAddress() {
    return "127.0.1.202";
  }

  @Override
  protected int portRangeFirst() {
    return 42000;
  }
}
