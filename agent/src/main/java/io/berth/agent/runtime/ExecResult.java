package io.berth.agent.runtime;

/** What a command run in a container printed and how it ended (exit code -1: it timed out). */
public record ExecResult(int exitCode, String stdout, String stderr) {}
