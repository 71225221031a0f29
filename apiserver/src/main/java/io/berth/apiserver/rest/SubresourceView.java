package io.berth.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.registry.ResourceType;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A part of an object served at its own path (status, scale): how the part is read
 * from the object, and how a part written by a client goes back into the object,
 * leaving everything else as it was. That second rule is the point of a
 * subresource: the agent writing a pod's status cannot change its spec, and a
 * {@code kubectl scale} cannot change anything but the replica count.
 */
interface SubresourceView {
  /** The apiVersion and kind of the part's body, which decide how patches merge into it. */
  String apiVersion(ResourceType parent);

  String kind(ResourceType parent);

  /** The part as clients see it. */
  JsonNode read(HasMetadata object);

  /**
   * The object with {@code written} put in: a copy of {@code existing} as a JSON tree,
   * changed only where the subresource owns it.
   *
   * @throws ApiException 422 when the written part is invalid
   */
  ObjectNode write(ObjectNode existing, JsonNode written);

  /** status: the object itself, of which only .status is written. */
  SubresourceView STATUS = new SubresourceView() {
    @Override public String apiVersion(ResourceType parent) {
      return parent.apiVersion();
    }

    @Override public String kind(ResourceType parent) {
      return parent.kind();
    }

    @Override public JsonNode read(HasMetadata object) {
      return ObjectCodec.toTree(object);
    }

    @Override public ObjectNode write(ObjectNode existing, JsonNode written) {
      // As Kubernetes' status strategies: spec and metadata stay as stored.
      if (written.has("status")) {
        existing.set("status", written.get("status").deepCopy());
      } else {
        existing.remove("status");
      }
      return existing;
    }
  };

  /** scale: an autoscaling/v1 Scale over spec.replicas and the selector of a workload. */
  SubresourceView SCALE = new SubresourceView() {
    @Override public String apiVersion(ResourceType parent) {
      return "autoscaling/v1";
    }

    @Override public String kind(ResourceType parent) {
      return "Scale";
    }

    @Override public JsonNode read(HasMetadata object) {
      JsonNode tree = ObjectCodec.toTree(object);
      ObjectNode scale = ObjectCodec.JSON.createObjectNode();
      scale.put("kind", "Scale");
      scale.put("apiVersion", "autoscaling/v1");
      ObjectNode meta = scale.putObject("metadata");
      for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
        if (tree.at("/metadata/" + field).isTextual()) {
          meta.put(field, tree.at("/metadata/" + field).asText());
        }
      }
      scale.putObject("spec").put("replicas", tree.at("/spec/replicas").asInt(1));
      ObjectNode status = scale.putObject("status");
      status.put("replicas", tree.at("/status/replicas").asInt(0));
      String selector = SelectorText.of(tree.at("/spec/selector"));
      if (!selector.isEmpty()) {
        status.put("selector", selector);
      }
      return scale;
    }

    @Override public ObjectNode write(ObjectNode existing, JsonNode written) {
      JsonNode replicas = written.at("/spec/replicas");
      if (replicas.isMissingNode() || replicas.isNull()) {
        replicas = ObjectCodec.JSON.getNodeFactory().numberNode(0);
      }
      if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
        throw new ApiException(422, "Invalid", "Scale.autoscaling \"" + existing.at("/metadata/name").asText()
            + "\" is invalid: spec.replicas: Invalid value: " + replicas + ": must be greater than or equal to 0");
      }
      ((ObjectNode) existing.with("spec")).put("replicas", replicas.asInt());
      return existing;
    }
  };
}
