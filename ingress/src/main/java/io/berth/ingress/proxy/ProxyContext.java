package io.berth.ingress.proxy;

import io.berth.ingress.balancing.Balancer;
import io.berth.ingress.balancing.RetryBudget;
import io.berth.ingress.metrics.IngressMetrics;
import io.berth.ingress.routing.RoutingTables;

/**
 * What every connection's handlers share: the routing tables, balancing state, the retry budget,
 * the upstream connection pool and the metrics.
 *
 * @param maxAttempts attempts per request at most, the first included (retries are also bounded by the budget)
 */
record ProxyContext(RoutingTables tables, Balancer balancer, RetryBudget retryBudget, BackendPool pool,
    IngressMetrics metrics, int maxAttempts) {}
