package io.berth.agent.pods;

import io.berth.client.events.EventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The Events a node agent writes about its pods, with the kubelet's reasons and wording so that
 * {@code kubectl describe pod} and {@code kubectl get events} read as operators know them.
 * Repeats are counted on one Event by the recorder, as Kubernetes does.
 */
public final class PodEvents {
  private final EventRecorder recorder;

  public PodEvents(EventRecorder recorder) {
    this.recorder = recorder;
  }

  public static PodEvents none() {
    return new PodEvents(EventRecorder.NONE);
  }

  void pulling(Pod pod, Container c) {
    recorder.normal(pod, "Pulling", "Pulling image \"" + c.getImage() + "\"");
  }

  void pulled(Pod pod, Container c) {
    recorder.normal(pod, "Pulled", "Successfully pulled image \"" + c.getImage() + "\"");
  }

  void alreadyPresent(Pod pod, Container c) {
    recorder.normal(pod, "Pulled", "Container image \"" + c.getImage() + "\" already present on machine");
  }

  void pullFailed(Pod pod, Container c, String why) {
    recorder.warning(pod, "Failed", "Failed to pull image \"" + c.getImage() + "\": " + why);
  }

  /** A container that could not be created or run; {@code reason} is its waiting reason (e.g. ErrImageNeverPull). */
  void failed(Pod pod, String reason, String message) {
    recorder.warning(pod, "Failed", "Error: " + reason + ": " + message);
  }

  void started(Pod pod, Container c) {
    recorder.normal(pod, "Created", "Created container " + c.getName());
    recorder.normal(pod, "Started", "Started container " + c.getName());
  }

  void backOff(Pod pod, Container c) {
    recorder.warning(pod, "BackOff", "Back-off restarting failed container " + c.getName() + " in pod "
        + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")");
  }

  /** @param kind Liveness, Readiness or Startup */
  void unhealthy(Pod pod, String kind, String message) {
    recorder.warning(pod, "Unhealthy", kind + " probe failed: " + message);
  }

  void killing(Pod pod, String container, String why) {
    recorder.normal(pod, "Killing", why == null ? "Stopping container " + container
        : "Container " + container + " " + why + ", will be restarted");
  }

  void sandboxFailed(Pod pod, String message) {
    recorder.warning(pod, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + message);
  }
}
