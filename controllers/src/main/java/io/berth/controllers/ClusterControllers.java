package io.berth.controllers;

import io.berth.controllers.endpoints.EndpointsController;
import io.berth.controllers.gc.GarbageCollector;
import io.berth.controllers.namespace.NamespaceController;
import io.berth.controllers.nodelifecycle.NodeLifecycleController;
import io.berth.controllers.nodelifecycle.NodeLifecycleSettings;
import io.berth.controllers.podgc.PodGarbageCollector;
import io.berth.controllers.podgc.PodGcSettings;
import java.time.Duration;

/**
 * Registers the cluster controllers (endpoints, node lifecycle, garbage collector,
 * namespace, pod GC) with a manager, with their settings in one place.
 *
 * <pre>{@code
 * ControllerManager.Builder builder = ControllerManager.builder(informers);
 * ClusterControllers.register(builder, informers, ClusterControllers.Settings.defaults());
 * }</pre>
 */
public final class ClusterControllers {
  private ClusterControllers() {}

  /**
   * @param namespaceRecheck how soon the namespace controller looks again at a namespace still emptying (1 s)
   */
  public record Settings(NodeLifecycleSettings nodeLifecycle, PodGcSettings podGc, Duration namespaceRecheck) {
    public static Settings defaults() {
      return new Settings(NodeLifecycleSettings.defaults(), PodGcSettings.defaults(), Duration.ofSeconds(1));
    }
  }

  public static ControllerManager.Builder register(ControllerManager.Builder builder, SharedInformers informers,
      Settings settings) {
    return builder
        .controller(new EndpointsController(informers))
        .controller(new NodeLifecycleController(informers, settings.nodeLifecycle()))
        .controller(new GarbageCollector(informers))
        .controller(new NamespaceController(informers, settings.namespaceRecheck()))
        .controller(new PodGarbageCollector(informers, settings.podGc()));
  }
}
