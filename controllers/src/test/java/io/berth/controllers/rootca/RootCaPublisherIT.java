package io.berth.controllers.rootca;

import io.berth.client.Client;
import io.berth.client.Resource;
import io.berth.controllers.ControllerManager;
import io.berth.controllers.SharedInformers;
import io.berth.controllers.testing.Eventually;
import io.berth.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root-ca-cert-publisher on a real cluster: a new namespace gets kube-root-ca.crt with the
 * CA, and the ConfigMap is put back as published when someone edits its ca.crt or deletes it,
 * as kube-controller-manager does (pods' service-account volumes project it).
 */
class RootCaPublisherIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";

  @TempDir Path dir;

  @Test
  void everyNamespaceKeepsTheCaConfigMapAsPublishedThroughEditsAndDeletes() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 1)) {
      Client client = cluster.client();
      SharedInformers informers = new SharedInformers(client);
      ControllerManager manager = ControllerManager.builder(informers).controller(new RootCaPublisher(informers, CA))
          .registry(new PrometheusRegistry()).build();
      informers.start();
      manager.start(client);
      try {
        client.resource(Resource.NAMESPACE).create(new NamespaceBuilder().withNewMetadata().withName("team")
            .endMetadata().build());
        var maps = client.resource(Resource.CONFIG_MAP).inNamespace("team");
        Eventually.await("kube-root-ca.crt published in team", WAIT, () -> caIn(maps.get(RootCaPublisher.NAME)));

        ConfigMap published = maps.get(RootCaPublisher.NAME).orElseThrow();
        maps.update(new ConfigMapBuilder(published).withData(Map.of(RootCaPublisher.KEY, "tampered")).build());
        Eventually.await("ca.crt put back after an edit", WAIT, () -> caIn(maps.get(RootCaPublisher.NAME)));

        maps.delete(RootCaPublisher.NAME);
        Eventually.await("kube-root-ca.crt created again after a delete", WAIT,
            () -> caIn(maps.get(RootCaPublisher.NAME)));
      } finally {
        manager.stop();
        informers.close();
      }
    }
  }

  private static boolean caIn(Optional<ConfigMap> map) {
    return map.map(m -> m.getData() != null && CA.equals(m.getData().get(RootCaPublisher.KEY))).orElse(false);
  }
}
