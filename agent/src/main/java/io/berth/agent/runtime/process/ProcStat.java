package io.berth.agent.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What /proc says about a pid. Liveness is read here, never from {@code kill -0}: where PID 1
 * does not reap orphans, a process that exited after its agent died lingers as a zombie.
 * The start time (clock ticks since boot) tells our process from a later one given the same pid.
 */
final class ProcStat {
  private ProcStat() {}

  /** The process's start time in clock ticks since boot, or -1 when there is no such process. */
  static long startTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command (which may hold spaces and parentheses) start after the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[19]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Whether {@code pid} is a live (not zombie) process that started at {@code startTime}. */
  static boolean alive(long pid, long startTime) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      char state = fields[0].charAt(0);
      return state != 'Z' && state != 'X' && Long.parseLong(fields[19]) == startTime;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
