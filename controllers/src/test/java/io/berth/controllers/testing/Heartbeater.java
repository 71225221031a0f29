package io.berth.controllers.testing;

import io.berth.client.Client;
import io.berth.client.Resource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The heartbeat half of a node agent, for tests: registers a Node (Ready, with an
 * InternalIP), renews its Lease in kube-node-lease every {@code period}, and can be
 * silenced and resumed; on resuming it reports Ready again, as an agent coming back does.
 */
public final class Heartbeater implements AutoCloseable {
  private final Client client;
  private final String node;
  private final Duration period;
  private volatile boolean beating = true;
  private final Thread thread;

  public Heartbeater(Client client, String node, String address, Duration period) {
    this.client = client;
    this.node = node;
    this.period = period;
    client.resource(Resource.NODE).create(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
        .withNewSpec().endSpec().build());
    reportReady(address);
    client.resource(Resource.LEASE).inNamespace("kube-node-lease").create(new LeaseBuilder().withNewMetadata()
        .withName(node).withNamespace("kube-node-lease").endMetadata().withNewSpec().withHolderIdentity(node)
        .withLeaseDurationSeconds(40).withRenewTime(now()).endSpec().build());
    this.thread = Thread.ofPlatform().name("heartbeat-" + node).daemon().start(this::run);
  }

  public void silence() {
    beating = false;
  }

  /** Heartbeats again and reports Ready, as an agent that comes back does. */
  public void resume() {
    reportReady(null);
    beating = true;
  }

  @Override
  public void close() {
    thread.interrupt();
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(period.toMillis());
        if (beating) {
          try {
            Lease lease = client.resource(Resource.LEASE).inNamespace("kube-node-lease").get(node).orElseThrow();
            client.resource(Resource.LEASE).inNamespace("kube-node-lease")
                .update(new LeaseBuilder(lease).editSpec().withRenewTime(now()).endSpec().build());
          } catch (RuntimeException e) {
            // a lost race or a failover: the next beat tries again
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void reportReady(String address) {
    Node current = client.resource(Resource.NODE).get(node).orElseThrow();
    String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    NodeBuilder ready = new NodeBuilder(current).editOrNewStatus().withConditions()
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withLastHeartbeatTime(at).withLastTransitionTime(at).endCondition().endStatus();
    if (address != null) {
      ready.editStatus().addNewAddress().withType("InternalIP").withAddress(address).endAddress().endStatus();
    }
    client.resource(Resource.NODE).updateStatus(ready.build());
  }

  private static ZonedDateTime now() {
    return ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }
}
