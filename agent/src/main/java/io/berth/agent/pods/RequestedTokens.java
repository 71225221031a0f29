package io.berth.agent.pods;

import io.berth.client.ApiException;
import io.berth.client.Client;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service-account tokens from the API's TokenRequest (POST .../serviceaccounts/NAME/token),
 * asked as this node (the Node authorizer lets it ask only for the accounts of pods bound to
 * it), bound to the pod, and kept until 80% of their lifetime has passed, when the next sync
 * of the pod asks for a fresh one, as kubelet's token manager does. A refusal or an API error
 * leaves the pod waiting with the reason, retried at its next sync.
 */
public final class RequestedTokens implements ServiceAccountTokens {
  private final Client client;
  private final Clock clock;
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  private record Held(String token, Instant renewAt) {}

  public RequestedTokens(Client client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public String token(Pod pod, String serviceAccount, long expirationSeconds) {
    String namespace = pod.getMetadata().getNamespace();
    String key = pod.getMetadata().getUid() + "/" + serviceAccount + "/" + expirationSeconds;
    Held current = held.get(key);
    Instant now = clock.instant();
    if (current != null && now.isBefore(current.renewAt())) {
      return current.token();
    }
    Map<String, Object> request = Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "TokenRequest",
        "spec", Map.of("expirationSeconds", expirationSeconds, "boundObjectRef",
            Map.of("apiVersion", "v1", "kind", "Pod", "name", pod.getMetadata().getName(),
                "uid", pod.getMetadata().getUid())));
    Map<?, ?> answer;
    try {
      answer = client.post("/api/v1/namespaces/" + namespace + "/serviceaccounts/" + serviceAccount + "/token",
          request, Map.class);
    } catch (ApiException e) {
      throw new ContainerSpecs.CreateContainerConfigError("token of service account " + namespace + "/"
          + serviceAccount + ": " + e.getMessage());
    }
    Object status = answer.get("status");
    Object token = status instanceof Map<?, ?> s ? s.get("token") : null;
    if (!(token instanceof String text) || text.isEmpty()) {
      throw new ContainerSpecs.CreateContainerConfigError("token of service account " + namespace + "/"
          + serviceAccount + ": the API answered no token");
    }
    Duration lifetime = Duration.ofSeconds(expirationSeconds);
    held.put(key, new Held(text, now.plus(lifetime.multipliedBy(8).dividedBy(10))));
    return text;
  }

  @Override
  public void forget(String podUid) {
    held.keySet().removeIf(key -> key.startsWith(podUid + "/"));
  }
}
