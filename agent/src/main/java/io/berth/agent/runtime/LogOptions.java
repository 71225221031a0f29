package io.berth.agent.runtime;

/**
 * Which part of a container's log to send, as {@code kubectl logs} asks.
 *
 * @param follow keep sending until the container exits
 * @param tailLines only the last this many lines (-1: all)
 * @param sinceSeconds only lines written in the last this many seconds (0: all)
 * @param timestamps prefix each line with its RFC 3339 time
 * @param limitBytes stop after this many bytes (0: no limit)
 */
public record LogOptions(boolean follow, int tailLines, long sinceSeconds, boolean timestamps, long limitBytes) {
  public static final LogOptions ALL = new LogOptions(false, -1, 0, false, 0);
}
