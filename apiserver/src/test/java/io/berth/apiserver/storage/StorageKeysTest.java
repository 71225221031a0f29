package io.berth.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.apiserver.registry.ResourceTable;
import org.junit.jupiter.api.Test;

class StorageKeysTest {
  private final ResourceTable table = ResourceTable.builtIn();

  @Test
  void keysFollowTheRegistryLayout() {
    assertThat(StorageKeys.objectKey(table.find("", "v1", "configmaps").orElseThrow(), "default", "c"))
        .isEqualTo("/registry/core/configmaps/default/c");
    assertThat(StorageKeys.objectKey(table.find("apps", "v1", "deployments").orElseThrow(), "team", "web"))
        .isEqualTo("/registry/apps/deployments/team/web");
    assertThat(StorageKeys.objectKey(table.find("", "v1", "namespaces").orElseThrow(), "ignored", "kube-system"))
        .isEqualTo("/registry/core/namespaces/kube-system");
  }

  @Test
  void aNamespacePrefixDoesNotTakeInLongerNamespaceNames() {
    var pods = table.find("", "v1", "pods").orElseThrow();
    assertThat(StorageKeys.collectionPrefix(pods, "a")).isEqualTo("/registry/core/pods/a/");
    assertThat(StorageKeys.objectKey(pods, "ab", "x")).doesNotStartWith(StorageKeys.collectionPrefix(pods, "a"));
    assertThat(StorageKeys.collectionPrefix(pods, null)).isEqualTo("/registry/core/pods/");
  }

  @Test
  void prefixEndIsTheNextKeyAfterThePrefix() {
    assertThat(EtcdObjectStore.prefixEnd(ByteString.copyFromUtf8("/a/")).toStringUtf8()).isEqualTo("/a0");
    assertThat(EtcdObjectStore.prefixEnd(ByteString.copyFrom(new byte[] {'a', (byte) 0xff})).toByteArray())
        .containsExactly('b');
  }
}
