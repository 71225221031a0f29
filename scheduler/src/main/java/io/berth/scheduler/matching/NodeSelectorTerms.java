package io.berth.scheduler.matching;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.List;
import java.util.Map;

/**
 * Whether a node matches a node selector term: every matchExpression on its labels and every
 * matchField (metadata.name) holds. A term with no requirements matches no node.
 */
public final class NodeSelectorTerms {
  private NodeSelectorTerms() {}

  /** The terms are ORed: one matching term is enough. */
  public static boolean anyMatches(List<NodeSelectorTerm> terms, Node node) {
    return terms != null && terms.stream().anyMatch(term -> matches(term, node));
  }

  public static boolean matches(NodeSelectorTerm term, Node node) {
    List<NodeSelectorRequirement> expressions = orEmpty(term.getMatchExpressions());
    List<NodeSelectorRequirement> fields = orEmpty(term.getMatchFields());
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false;
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    Map<String, String> nodeFields = Map.of("metadata.name", node.getMetadata().getName());
    return expressions.stream().allMatch(requirement -> holds(requirement, labels))
        && fields.stream().allMatch(requirement -> holds(requirement, nodeFields));
  }

  static boolean holds(NodeSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = orEmpty(requirement.getValues());
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt" -> compare(value, values) > 0;
      case "Lt" -> compare(value, values) < 0;
      default -> false;
    };
  }

  /** Gt and Lt compare integers; a missing or non-numeric label, or not one value, never matches. */
  private static int compare(String label, List<String> values) {
    if (label == null || values.size() != 1) {
      return 0;
    }
    try {
      return Long.compare(Long.parseLong(label), Long.parseLong(values.get(0)));
    } catch (NumberFormatException notANumber) {
      return 0;
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
