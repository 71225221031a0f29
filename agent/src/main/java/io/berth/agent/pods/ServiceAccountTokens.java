package io.berth.agent.pods;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Where a pod's projected service-account token comes from: the API's TokenRequest, asked as
 * this node ({@link RequestedTokens}). Kubelet's token manager, cut to what Berth's pods need.
 */
public interface ServiceAccountTokens {
  /**
   * A token of {@code serviceAccount} for {@code pod}, valid for about {@code expirationSeconds}.
   *
   * @throws ContainerSpecs.CreateContainerConfigError when none can be had (yet)
   */
  String token(Pod pod, String serviceAccount, long expirationSeconds);

  /** Forgets whatever is kept for a pod that is gone. */
  default void forget(String podUid) {}

  /** For an agent of a cluster that does not sign tokens: a pod that mounts one waits, saying why. */
  static ServiceAccountTokens none() {
    return (pod, account, seconds) -> {
      throw new ContainerSpecs.CreateContainerConfigError("this node cannot request service-account tokens "
          + "(the API server mints none)");
    };
  }
}
