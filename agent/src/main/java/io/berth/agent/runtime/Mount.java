package io.berth.agent.runtime;

/** A host directory or file shown inside a container at {@code containerPath}. */
public record Mount(String hostPath, String containerPath, boolean readOnly) {}
