package io.berth.agent.runtime;

/** Which pod something belongs to: its uid (the identity) and, for people and logs, its namespace and name. */
public record PodRef(String uid, String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
