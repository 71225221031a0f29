package io.berth.cli.local;

import io.berth.cli.certs.ClusterPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a local cluster's node agents are named, laid out and launched. Agent N gets the node
 * address 127.0.1.N (all of 127.0.0.0/8 is loopback on Linux), so that the ports the agents
 * publish for their pods never collide, just as on separate hosts.
 */
final class AgentProcesses {
  static final String ROLE = "agent";

  private AgentProcesses() {}

  static String name(int i) {
    return "agent-" + i;
  }

  static ClusterFile.ProcessEntry plan(Path dir, int i, String runtime) {
    ClusterFile.ProcessEntry agent = new ClusterFile.ProcessEntry();
    agent.name = name(i);
    agent.role = ROLE;
    agent.address = "127.0.1." + i;
    agent.runtime = runtime;
    agent.ports.put("agent", LocalProcess.freePort());
    agent.ports.put("metrics", LocalProcess.freePort());
    agent.dataDir = dir.resolve("data").resolve(agent.name).toString();
    agent.log = ServerProcesses.logFile(dir, agent).toString();
    return agent;
  }

  static List<String> args(ClusterFile cluster, ClusterFile.ProcessEntry agent) {
    String apis = ServerProcesses.apiUrls(cluster);
    List<String> args = new ArrayList<>();
    args.add("agent");
    args.add("--node-name");
    args.add(agent.name);
    args.add("--data-dir");
    args.add(agent.dataDir);
    args.add("--node-address");
    args.add(agent.address);
    args.add("--listen");
    args.add(Integer.toString(agent.port("agent")));
    args.add("--metrics-listen");
    args.add("127.0.0.1:" + agent.port("metrics"));
    args.add("--api-endpoints");
    args.add(apis);
    args.addAll(ServerProcesses.apiClientFlags(cluster, ClusterPki.agentFile(agent.name)));
    args.add("--runtime");
    args.add(agent.runtime == null ? "auto" : agent.runtime);
    // A local cluster's heartbeats are frequent, so a stopped agent shows quickly.
    args.add("--heartbeat-period");
    args.add("2s");
    return args;
  }
}
