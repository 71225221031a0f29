package io.berth.apiserver.rest;

import io.berth.apiserver.storage.ObjectStore;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * pods/log: asks the agent of the pod's node, where the container logs are, and streams its
 * answer back (so {@code kubectl logs -f} follows). The agent is found as kube-apiserver finds
 * the kubelet: the Node's InternalIP and status.daemonEndpoints.kubeletEndpoint.port; it serves
 * {@code GET /containerLogs/<namespace>/<pod>/<container>} with the same options.
 */
final class PodLogProxy {
  private static final Set<String> OPTIONS = Set.of("follow", "tailLines", "sinceSeconds", "timestamps", "previous",
      "limitBytes", "sinceTime");
  private final ObjectStore store;
  private final AgentConnections agents;

  PodLogProxy(ObjectStore store, AgentConnections agents) {
    this.store = store;
    this.agents = agents;
  }

  CompletableFuture<ApiResponse> logs(ApiRequest request, Pod pod) {
    String name = pod.getMetadata().getName();
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (nodeName == null || nodeName.isEmpty()) {
      throw Statuses.badRequest("pod \"" + name + "\" does not have a host assigned");
    }
    String container = container(request, pod);
    return store.get("/registry/core/nodes/" + nodeName).thenCompose(found -> {
      Node node = found.map(o -> decode(o.value())).orElseThrow(() ->
          Statuses.unavailable("node \"" + nodeName + "\" of pod \"" + name + "\" is not registered"));
      URI uri = agents.uri(address(node), port(node), "/containerLogs/"
          + pod.getMetadata().getNamespace() + "/" + name + "/" + container + query(request));
      HttpRequest get = HttpRequest.newBuilder(uri).GET().build();
      return agents.http().sendAsync(get, HttpResponse.BodyHandlers.ofInputStream())
          .exceptionally(e -> {
            throw Statuses.unavailable("the agent of node \"" + nodeName + "\" (" + uri.getHost() + ":" + uri.getPort()
                + ") does not answer: " + e.getCause());
          })
          .thenApply(PodLogProxy::relay);
    });
  }

  private static ApiResponse relay(HttpResponse<InputStream> answer) {
    if (answer.statusCode() != 200) {
      String text;
      try (InputStream body = answer.body()) {
        text = new String(body.readNBytes(4096), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        text = "the agent answered " + answer.statusCode();
      }
      throw answer.statusCode() == 404 || answer.statusCode() == 400 ? Statuses.badRequest(text)
          : Statuses.internal(text);
    }
    return new ApiResponse(200, new byte[0], "text/plain", Map.of(), stream -> {
      InputStream body = answer.body();
      stream.onClose(() -> closeQuietly(body));
      Thread.ofVirtual().name("pod-log-relay").start(() -> {
        byte[] buffer = new byte[8192];
        try (body) {
          int n;
          while ((n = body.read(buffer)) >= 0) {
            if (n > 0 && !stream.send(java.util.Arrays.copyOf(buffer, n))) {
              break;
            }
          }
        } catch (IOException e) {
          // the agent or the client went away
        } finally {
          stream.end();
        }
      });
    });
  }

  /** The container asked for, or the pod's only one. */
  private static String container(ApiRequest request, Pod pod) {
    List<String> asked = request.query().get("container");
    List<String> names = pod.getSpec().getContainers().stream().map(Container::getName).toList();
    if (asked != null && !asked.isEmpty() && !asked.get(0).isEmpty()) {
      String name = asked.get(0);
      boolean known = names.contains(name) || (pod.getSpec().getInitContainers() != null
          && pod.getSpec().getInitContainers().stream().anyMatch(c -> c.getName().equals(name)));
      if (!known) {
        throw Statuses.badRequest("container " + name + " is not valid for pod " + pod.getMetadata().getName());
      }
      return name;
    }
    if (names.size() != 1) {
      throw Statuses.badRequest("a container name must be specified for pod " + pod.getMetadata().getName()
          + ", choose one of: " + names);
    }
    return names.get(0);
  }

  private static String query(ApiRequest request) {
    String query = request.query().entrySet().stream().filter(e -> OPTIONS.contains(e.getKey()))
        .filter(e -> !e.getValue().isEmpty())
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue().get(0), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return query.isEmpty() ? "" : "?" + query;
  }

  private static String address(Node node) {
    List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
        : node.getStatus().getAddresses();
    return addresses.stream().filter(a -> "InternalIP".equals(a.getType())).map(NodeAddress::getAddress).findFirst()
        .orElseThrow(() -> Statuses.unavailable("node \"" + node.getMetadata().getName() + "\" reports no InternalIP"));
  }

  private static int port(Node node) {
    try {
      Integer port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
      if (port != null && port > 0) {
        return port;
      }
    } catch (NullPointerException absent) {
      // falls through
    }
    throw Statuses.unavailable("node \"" + node.getMetadata().getName() + "\" reports no agent port "
        + "(status.daemonEndpoints.kubeletEndpoint.port)");
  }

  private static Node decode(byte[] json) {
    try {
      return ObjectCodec.JSON.readValue(json, Node.class);
    } catch (IOException e) {
      throw Statuses.internal("a stored Node could not be decoded: " + e.getMessage());
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
