package io.berth.agent.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on everything an agent creates: they say which node's agent owns it and which
 * pod and container (and which attempt of it) it is, so that a restarted agent can adopt it.
 */
public final class Labels {
  public static final String NODE = "berth.io/node";
  public static final String POD_UID = "berth.io/pod-uid";
  public static final String POD_NAME = "berth.io/pod-name";
  public static final String POD_NAMESPACE = "berth.io/pod-namespace";
  public static final String CONTAINER_NAME = "berth.io/container-name";
  public static final String ATTEMPT = "berth.io/attempt";
  /** "sandbox" or "container". */
  public static final String ROLE = "berth.io/role";

  private Labels() {}

  public static Map<String, String> sandbox(String node, PodRef pod) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NODE, node);
    labels.put(ROLE, "sandbox");
    labels.put(POD_UID, pod.uid());
    labels.put(POD_NAME, pod.name());
    labels.put(POD_NAMESPACE, pod.namespace());
    return labels;
  }

  public static Map<String, String> container(String node, PodRef pod, String container, int attempt) {
    Map<String, String> labels = sandbox(node, pod);
    labels.put(ROLE, "container");
    labels.put(CONTAINER_NAME, container);
    labels.put(ATTEMPT, Integer.toString(attempt));
    return labels;
  }
}
