package io.berth.agent.pods;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.client.transport.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * The annotation in which the agent records where a pod's ports are published, exactly as the
 * Endpoints controller reads it (controllers' endpoints/PublishedPorts): JSON
 * {@code {"8080/TCP": 40001}}, container port and protocol to node port, on the node address
 * that status.hostIP (and podIP) carry.
 */
public final class PublishedPorts {
  public static final String ANNOTATION = "berth.io/published-ports";

  private PublishedPorts() {}

  /** The annotation's value: keys sorted, so that the same ports always give the same text. */
  public static String encode(Map<String, Integer> ports) {
    try {
      return Json.MAPPER.writeValueAsString(new TreeMap<>(ports));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
