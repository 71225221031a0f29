package io.berth.agent.pods;

/** Why a container is not running: Kubernetes' waiting reason (ContainerCreating, ErrImagePull, CrashLoopBackOff, ...) and a message. */
public record Waiting(String reason, String message) {}
