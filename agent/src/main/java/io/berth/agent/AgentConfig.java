package io.berth.agent;

import io.berth.agent.node.NodeConfig;
import io.berth.agent.pods.CrashLoopBackoff;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Everything a node agent is started with.
 *
 * @param apiEndpoints API server base URLs; calls fail over between them
 * @param apiTls the agent's client certificate (system:node:NAME) and the CA of HTTPS endpoints, or null
 * @param node what the agent registers (its name, address, port, labels, reservations)
 * @param portRangeFirst first node port the agent allocates for pods' declared ports without a hostPort
 * @param portRangeLast last such port
 * @param backoff CrashLoopBackOff timing
 * @param relistPeriod how often the runtime's containers are listed to notice exits
 * @param podResync how often an idle pod worker looks at its pod without being woken
 * @param endpointPropagation how long after the agent sees a terminating pod leave the Endpoints
 *     the ingresses and node-port proxies have seen it too (see {@code TrafficDrain})
 */
public record AgentConfig(List<URI> apiEndpoints, NodeConfig node, int portRangeFirst, int portRangeLast,
    CrashLoopBackoff backoff, Duration relistPeriod, Duration podResync, Duration endpointPropagation,
    io.berth.client.tls.TlsFiles apiTls) {
  /** Without TLS to the API (plain HTTP endpoints). */
  public AgentConfig(List<URI> apiEndpoints, NodeConfig node, int portRangeFirst, int portRangeLast,
      CrashLoopBackoff backoff, Duration relistPeriod, Duration podResync, Duration endpointPropagation) {
    this(apiEndpoints, node, portRangeFirst, portRangeLast, backoff, relistPeriod, podResync, endpointPropagation,
        null);
  }
}
