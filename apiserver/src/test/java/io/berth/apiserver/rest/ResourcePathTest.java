package io.berth.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcePathTest {
  @Test
  void namespacedObjectInTheCoreGroup() {
    assertThat(ResourcePath.parse("/api/v1/namespaces/default/configmaps/c"))
        .contains(new ResourcePath("", "v1", "default", "configmaps", "c", null));
  }

  @Test
  void namespacedCollectionInANamedGroup() {
    assertThat(ResourcePath.parse("/apis/apps/v1/namespaces/team/deployments"))
        .contains(new ResourcePath("apps", "v1", "team", "deployments", null, null));
  }

  @Test
  void aNamespaceItselfIsNotANamespacePrefix() {
    assertThat(ResourcePath.parse("/api/v1/namespaces/kube-system"))
        .contains(new ResourcePath("", "v1", null, "namespaces", "kube-system", null));
    assertThat(ResourcePath.parse("/api/v1/namespaces"))
        .contains(new ResourcePath("", "v1", null, "namespaces", null, null));
  }

  @Test
  void collectionAcrossAllNamespaces() {
    assertThat(ResourcePath.parse("/api/v1/pods")).contains(new ResourcePath("", "v1", null, "pods", null, null));
  }

  @Test
  void subresourceAndTrailingSlash() {
    assertThat(ResourcePath.parse("/apis/apps/v1/namespaces/d/deployments/web/scale/"))
        .contains(new ResourcePath("apps", "v1", "d", "deployments", "web", "scale"));
  }

  @Test
  void discoveryAndUnknownPathsAreNotResourcePaths() {
    assertThat(ResourcePath.parse("/api/v1")).isEmpty();
    assertThat(ResourcePath.parse("/apis/apps/v1")).isEmpty();
    assertThat(ResourcePath.parse("/version")).isEmpty();
    assertThat(ResourcePath.parse("/api/v1/namespaces/d/pods/p/log/extra")).isEmpty();
  }
}
