package io.berth.scheduler;

import io.berth.scheduler.filters.DefaultFilters;
import io.berth.scheduler.framework.ClusterSnapshot;
import io.berth.scheduler.framework.NodeInfo;
import io.berth.scheduler.framework.ScheduleResult;
import io.berth.scheduler.framework.Scheduler;
import io.berth.scheduler.scores.DefaultScores;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Nodes and pods in a line each, and one scheduling cycle over them:
 * <pre>
 *   cluster(node("a").cpu("2"), node("b")).with(pod("x").on("a").cpu("1500m")).schedule(pod("new").cpu("1"))
 * </pre>
 * Nodes default to Ready, 4 cpu, 8Gi, 110 pods; pods to namespace "default" with no requests.
 */
public final class Harness {
  private Harness() {}

  public static N node(String name) {
    return new N(name);
  }

  public static P pod(String name) {
    return new P(name);
  }

  public static Cluster cluster(N... nodes) {
    return new Cluster(Arrays.stream(nodes).map(N::build).toList());
  }

  public static final class Cluster {
    private final List<Node> nodes;
    private final List<Pod> pods = new ArrayList<>();

    Cluster(List<Node> nodes) {
      this.nodes = nodes;
    }

    public Cluster with(P... existing) {
      Arrays.stream(existing).map(P::build).forEach(pods::add);
      return this;
    }

    public ClusterSnapshot snapshot() {
      return new ClusterSnapshot(nodes, pods);
    }

    public NodeInfo info(String node) {
      return snapshot().nodes().stream().filter(info -> info.name().equals(node)).findFirst().orElseThrow();
    }

    public ScheduleResult schedule(P pod) {
      return new Scheduler(DefaultFilters.all(), DefaultScores.all()).schedule(pod.build(), snapshot());
    }

    /** The chosen node, or the failure message as an assertion error. */
    public String placed(P pod) {
      ScheduleResult result = schedule(pod);
      if (result instanceof ScheduleResult.Scheduled scheduled) {
        return scheduled.node();
      }
      throw new AssertionError("not scheduled: " + ((ScheduleResult.Unschedulable) result).message());
    }

    /** The failure message, or an assertion error naming the chosen node. */
    public String failure(P pod) {
      ScheduleResult result = schedule(pod);
      if (result instanceof ScheduleResult.Unschedulable unschedulable) {
        return unschedulable.message();
      }
      throw new AssertionError("scheduled on " + ((ScheduleResult.Scheduled) result).node());
    }
  }

  public static final class N {
    private final NodeBuilder node;
    private String cpu = "4";
    private String memory = "8Gi";
    private String pods = "110";
    private String ready = "True";

    N(String name) {
      node = new NodeBuilder().withNewMetadata().withName(name)
          .addToLabels("kubernetes.io/hostname", name).endMetadata().withNewSpec().endSpec();
    }

    public N cpu(String amount) { cpu = amount; return this; }
    public N memory(String amount) { memory = amount; return this; }
    public N pods(int count) { pods = Integer.toString(count); return this; }
    public N label(String key, String value) { node.editMetadata().addToLabels(key, value).endMetadata(); return this; }
    public N unschedulable() { node.editSpec().withUnschedulable(true).endSpec(); return this; }
    public N ready(String status) { ready = status; return this; }

    public N taint(String key, String value, String effect) {
      node.editSpec().addToTaints(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build()).endSpec();
      return this;
    }

    public Node build() {
      return node.withNewStatus()
          .addToAllocatable("cpu", new Quantity(cpu))
          .addToAllocatable("memory", new Quantity(memory))
          .addToAllocatable("pods", new Quantity(pods))
          .addNewCondition().withType("Ready").withStatus(ready).endCondition()
          .endStatus().build();
    }
  }

  public static final class P {
    private final PodBuilder pod;
    private final ContainerBuilder container = new ContainerBuilder().withName("main").withImage("busybox");

    P(String name) {
      pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
          .endMetadata().withNewSpec().endSpec();
    }

    public P on(String node) { pod.editSpec().withNodeName(node).endSpec(); return this; }
    public P namespace(String namespace) { pod.editMetadata().withNamespace(namespace).endMetadata(); return this; }
    public P label(String key, String value) { pod.editMetadata().addToLabels(key, value).endMetadata(); return this; }
    public P phase(String phase) { pod.withNewStatus().withPhase(phase).endStatus(); return this; }
    public P cpu(String amount) { container.editOrNewResources().addToRequests("cpu", new Quantity(amount)).endResources(); return this; }
    public P memory(String amount) { container.editOrNewResources().addToRequests("memory", new Quantity(amount)).endResources(); return this; }

    public P hostPort(int port) {
      container.addToPorts(new ContainerPortBuilder().withContainerPort(port).withHostPort(port).build());
      return this;
    }

    public P ownedBy(String uid) {
      pod.editMetadata().addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1")
          .withKind("ReplicaSet").withName(uid).withUid(uid).withController(true).build()).endMetadata();
      return this;
    }

    public P tolerate(String key, String value, String effect) {
      pod.editSpec().addToTolerations(new TolerationBuilder().withKey(key).withOperator("Equal")
          .withValue(value).withEffect(effect).build()).endSpec();
      return this;
    }

    public P tolerateAll() {
      pod.editSpec().addToTolerations(new TolerationBuilder().withOperator("Exists").build()).endSpec();
      return this;
    }

    public P nodeSelector(String key, String value) { pod.editSpec().addToNodeSelector(key, value).endSpec(); return this; }

    /** One required node affinity term per call (terms are ORed): requirement("zone", "In", "a", "b"). */
    public P requireTerm(NodeSelectorTerm term) {
      pod.editSpec().editOrNewAffinity().editOrNewNodeAffinity().editOrNewRequiredDuringSchedulingIgnoredDuringExecution()
          .addToNodeSelectorTerms(term).endRequiredDuringSchedulingIgnoredDuringExecution()
          .endNodeAffinity().endAffinity().endSpec();
      return this;
    }

    public P prefer(int weight, NodeSelectorTerm term) {
      pod.editSpec().editOrNewAffinity().editOrNewNodeAffinity().addToPreferredDuringSchedulingIgnoredDuringExecution(
          new PreferredSchedulingTermBuilder().withWeight(weight).withPreference(term).build())
          .endNodeAffinity().endAffinity().endSpec();
      return this;
    }

    /** Required anti-affinity on kubernetes.io/hostname against pods labelled key=value. */
    public P avoid(String key, String value) {
      return avoid(key, value, "kubernetes.io/hostname");
    }

    public P avoid(String key, String value, String topologyKey) {
      pod.editSpec().editOrNewAffinity().editOrNewPodAntiAffinity().addToRequiredDuringSchedulingIgnoredDuringExecution(
          new PodAffinityTermBuilder().withTopologyKey(topologyKey)
              .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of(key, value)).build()).build())
          .endPodAntiAffinity().endAffinity().endSpec();
      return this;
    }

    public Pod build() {
      Pod built = pod.build();
      built.getSpec().setContainers(List.of(container.build()));
      return built;
    }
  }

  /** A node selector term of label requirements: term(req("zone", "In", "a")). */
  public static NodeSelectorTerm term(io.fabric8.kubernetes.api.model.NodeSelectorRequirement... requirements) {
    return new NodeSelectorTermBuilder().withMatchExpressions(requirements).build();
  }

  public static io.fabric8.kubernetes.api.model.NodeSelectorRequirement req(String key, String operator, String... values) {
    return new NodeSelectorRequirementBuilder().withKey(key).withOperator(operator).withValues(values).build();
  }
}
