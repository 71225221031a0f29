package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.node.TextNode;
import io.berth.apiserver.patch.Shape.Atomic;
import io.berth.apiserver.patch.Shape.Key;
import io.berth.apiserver.patch.Shape.KeyedList;
import io.berth.apiserver.patch.Shape.SetList;
import io.berth.apiserver.patch.Shape.Struct;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the fields of each kind Berth serves merge, transcribed from the patchStrategy,
 * patchMergeKey, listType, listMapKey and structType markers of k8s.io/api. Only what
 * differs from the default is listed: maps merge field by field and lists are replaced
 * unless named here. A list Kubernetes leaves without a strategy (tolerations, a
 * node's taints, an Ingress's rules, an Endpoints' subsets) is atomic by that default;
 * a few are spelled out below because patching them is a common surprise.
 */
public final class PatchSchemas {
  private PatchSchemas() {}

  private static final Shape CONDITIONS = keyed("type");

  /** ObjectMeta: finalizers are a set, ownerReferences are keyed by uid. */
  static final Struct METADATA = struct(
      field("finalizers", new SetList()),
      field("ownerReferences", keyed("uid")),
      field("managedFields", new Atomic()));

  static final Struct CONTAINER = struct(
      // patchMergeKey containerPort; listMapKey containerPort and protocol (default TCP).
      field("ports", keyed(List.of(key("containerPort"), key("protocol", "TCP")), Struct.ANY)),
      field("env", keyed("name")),
      field("volumeMounts", keyed("mountPath")),
      field("volumeDevices", keyed("devicePath")),
      field("envFrom", new Atomic()),
      field("resizePolicy", new Atomic()));

  static final Struct POD_SPEC = struct(
      field("containers", keyed("name", CONTAINER)),
      field("initContainers", keyed("name", CONTAINER)),
      field("ephemeralContainers", keyed("name", CONTAINER)),
      // patchStrategy "merge,retainKeys": a patch naming a new volume source drops the old one.
      field("volumes", keyed("name", retainKeys())),
      field("imagePullSecrets", keyed("name")),
      field("hostAliases", keyed("ip")),
      field("topologySpreadConstraints",
          keyed(List.of(key("topologyKey"), key("whenUnsatisfiable")), Struct.ANY)),
      field("resourceClaims", keyed("name", retainKeys())),
      field("schedulingGates", keyed("name")),
      // No patch strategy in k8s.io/api: a patch replaces the whole list.
      field("tolerations", new Atomic()),
      field("readinessGates", new Atomic()));

  static final Struct POD_STATUS = struct(
      field("conditions", CONDITIONS),
      field("podIPs", keyed("ip")),
      field("hostIPs", keyed("ip")),
      field("resourceClaimStatuses", keyed("name")),
      field("containerStatuses", new Atomic()),
      field("initContainerStatuses", new Atomic()),
      field("ephemeralContainerStatuses", new Atomic()));

  static final Struct POD_TEMPLATE_SPEC = struct(field("metadata", METADATA), field("spec", POD_SPEC));

  /** A LabelSelector is structType atomic: server-side apply owns it as one value. */
  private static final Shape SELECTOR = new Atomic();

  private static final Map<String, Struct> BY_KIND = Map.ofEntries(
      Map.entry("v1/Pod", root(field("spec", POD_SPEC), field("status", POD_STATUS))),
      Map.entry("v1/PodTemplate", root(field("template", POD_TEMPLATE_SPEC))),
      Map.entry("v1/Service", root(
          // patchMergeKey port; listMapKey port and protocol (default TCP).
          field("spec", struct(field("ports", keyed(List.of(key("port"), key("protocol", "TCP")), Struct.ANY)))),
          field("status", struct(field("conditions", CONDITIONS))))),
      Map.entry("v1/Node", root(
          field("spec", struct(field("podCIDRs", new SetList()), field("taints", new Atomic()))),
          field("status", struct(field("conditions", CONDITIONS), field("addresses", keyed("type")))))),
      Map.entry("v1/Namespace", root(field("status", struct(field("conditions", CONDITIONS))))),
      Map.entry("v1/Endpoints", root(field("subsets", new Atomic()))),
      Map.entry("v1/ConfigMap", root()),
      Map.entry("v1/Secret", root()),
      Map.entry("v1/Event", root()),
      Map.entry("apps/v1/Deployment", root(
          field("spec", struct(
              field("selector", SELECTOR),
              field("template", POD_TEMPLATE_SPEC),
              field("strategy", retainKeys()))),
          field("status", struct(field("conditions", CONDITIONS))))),
      Map.entry("apps/v1/ReplicaSet", root(
          field("spec", struct(field("selector", SELECTOR), field("template", POD_TEMPLATE_SPEC))),
          field("status", struct(field("conditions", CONDITIONS))))),
      Map.entry("networking.k8s.io/v1/Ingress", root(
          field("spec", struct(field("rules", new Atomic()), field("tls", new Atomic()))))),
      Map.entry("coordination.k8s.io/v1/Lease", root()));

  /** The shape of objects of a kind; a kind not in the table gets the defaults, metadata included. */
  public static Struct forKind(String apiVersion, String kind) {
    return BY_KIND.getOrDefault(apiVersion + "/" + kind, root());
  }

  private record Field(String name, Shape shape) {}

  private static Struct root(Field... fields) {
    Map<String, Shape> all = new LinkedHashMap<>(struct(fields).fields());
    all.put("metadata", METADATA);
    return new Struct(all, false);
  }

  private static Struct struct(Field... fields) {
    Map<String, Shape> byName = new LinkedHashMap<>();
    Arrays.stream(fields).forEach(f -> byName.put(f.name(), f.shape()));
    return new Struct(byName, false);
  }

  private static Struct retainKeys() {
    return new Struct(Map.of(), true);
  }

  private static Field field(String name, Shape shape) {
    return new Field(name, shape);
  }

  private static KeyedList keyed(String key) {
    return keyed(key, Struct.ANY);
  }

  private static KeyedList keyed(String key, Struct element) {
    return keyed(List.of(key(key)), element);
  }

  private static KeyedList keyed(List<Key> keys, Struct element) {
    return new KeyedList(keys, element);
  }

  private static Key key(String name) {
    return new Key(name, null);
  }

  private static Key key(String name, String defaultValue) {
    return new Key(name, TextNode.valueOf(defaultValue));
  }
}
