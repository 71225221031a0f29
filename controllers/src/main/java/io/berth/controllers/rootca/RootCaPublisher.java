package io.berth.controllers.rootca;

import io.berth.client.ApiException;
import io.berth.client.Resource;
import io.berth.client.informer.ResourceEventHandler;
import io.berth.controllers.Controller;
import io.berth.controllers.ControllerContext;
import io.berth.controllers.Reconciler;
import io.berth.controllers.Result;
import io.berth.controllers.SharedInformer;
import io.berth.controllers.SharedInformers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.Map;
import java.util.Objects;

/**
 * kube-controller-manager's root-ca-cert-publisher: every namespace holds ConfigMap
 * {@value #NAME} with the cluster's CA under key ca.crt, which the service-account volume
 * of every pod projects (so software in a pod can verify the API server), kept as published
 * if someone edits or deletes it.
 *
 * <pre>
 * reconcile(namespace):
 *   gone or Terminating          -> nothing
 *   no ConfigMap                 -> create it
 *   ca.crt differs               -> update it (at the cached version: a 409 is retried)
 * </pre>
 */
public final class RootCaPublisher implements Controller {
  public static final String NAME = "kube-root-ca.crt";
  static final String KEY = "ca.crt";

  private final SharedInformer<Namespace> namespaces;
  private final SharedInformer<ConfigMap> configMaps;
  private final String caPem;

  /** @param caPem the cluster CA's certificate, PEM */
  public RootCaPublisher(SharedInformers informers, String caPem) {
    this.namespaces = informers.forResource(Resource.NAMESPACE);
    this.configMaps = informers.forResource(Resource.CONFIG_MAP);
    this.caPem = caPem;
  }

  @Override
  public String name() {
    return "root-ca-cert-publisher";
  }

  @Override
  public Reconciler start(ControllerContext context) {
    context.subscribe(namespaces, new ResourceEventHandler<>() {
      @Override
      public void onAdd(Namespace namespace) {
        context.queue().add(namespace.getMetadata().getName());
      }

      @Override
      public void onUpdate(Namespace before, Namespace after) {
        context.queue().add(after.getMetadata().getName());
      }
    });
    context.subscribe(configMaps, new ResourceEventHandler<>() {
      @Override
      public void onUpdate(ConfigMap before, ConfigMap after) {
        enqueueIfOurs(after);
      }

      @Override
      public void onDelete(ConfigMap map) {
        enqueueIfOurs(map);
      }

      private void enqueueIfOurs(ConfigMap map) {
        if (NAME.equals(map.getMetadata().getName())) {
          context.queue().add(map.getMetadata().getNamespace());
        }
      }
    });
    return namespace -> reconcile(context, namespace);
  }

  private Result reconcile(ControllerContext context, String name) {
    Namespace namespace = namespaces.cache().get(null, name).orElse(null);
    if (namespace == null || namespace.getMetadata().getDeletionTimestamp() != null) {
      return Result.done();
    }
    ConfigMap current = configMaps.cache().get(name, NAME).orElse(null);
    var api = context.client().resource(Resource.CONFIG_MAP).inNamespace(name);
    if (current == null) {
      try {
        api.create(new ConfigMapBuilder().withNewMetadata().withName(NAME).withNamespace(name)
            .withAnnotations(Map.of("kubernetes.io/description", "Contains a CA bundle that can be used to "
                + "verify the kube-apiserver when using internal endpoints such as the internal service IP or "
                + "kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes "
                + "clusters."))
            .endMetadata().withData(Map.of(KEY, caPem)).build());
      } catch (ApiException e) {
        if (!e.isAlreadyExists()) {     // another term's create won the race: fine
          throw e;
        }
      }
      return Result.done();
    }
    if (!Objects.equals(current.getData() == null ? null : current.getData().get(KEY), caPem)) {
      api.update(new ConfigMapBuilder(current).withData(Map.of(KEY, caPem)).build());
    }
    return Result.done();
  }
}
