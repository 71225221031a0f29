package io.berth.client.testing;

import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import java.util.List;

/** Pods and pod lists as the API server would send them. */
public final class Objects {
  private Objects() {}

  public static Pod pod(String namespace, String name, String resourceVersion) {
    return pod(namespace, name, resourceVersion, null);
  }

  public static Pod pod(String namespace, String name, String resourceVersion, String nodeName) {
    return new PodBuilder().withApiVersion("v1").withKind("Pod")
        .withNewMetadata().withNamespace(namespace).withName(name).withResourceVersion(resourceVersion).endMetadata()
        .withNewSpec().withNodeName(nodeName).endSpec().build();
  }

  /** A bookmark: a Pod carrying only a resourceVersion. */
  public static Pod bookmark(String resourceVersion) {
    return new PodBuilder().withApiVersion("v1").withKind("Pod")
        .withNewMetadata().withResourceVersion(resourceVersion).endMetadata().build();
  }

  public static PodList podList(String resourceVersion, String continueToken, List<Pod> pods) {
    ListMeta meta = new ListMeta();
    meta.setResourceVersion(resourceVersion);
    meta.setContinue(continueToken);
    return new PodListBuilder().withApiVersion("v1").withKind("PodList").withMetadata(meta).withItems(pods).build();
  }
}
