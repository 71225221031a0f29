package io.berth.agent.probes;

import io.berth.agent.runtime.ExecResult;
import java.time.Duration;
import java.util.List;

/** Where a container's probes reach it: its node address and published ports, and exec in it. */
public interface ProbeTarget {
  /** The pod's address (the node address, where its ports are published). */
  String host();

  /** The node port a container port (by number or name) is published on, or -1 when it is not. */
  int publishedPort(String portNumberOrName);

  ExecResult exec(List<String> command, Duration timeout);
}
