package io.berth.agent.runtime;

/**
 * A container's resources in the units engines take.
 *
 * @param cpuLimitMillis CPU limit in millicores (0: none), mapped to a CFS quota
 * @param cpuRequestMillis CPU request in millicores (0: none), mapped to cpu shares
 * @param memoryLimitBytes memory limit (0: none); exceeding it gets the container OOM-killed
 */
public record Resources(long cpuLimitMillis, long cpuRequestMillis, long memoryLimitBytes) {
  public static final Resources NONE = new Resources(0, 0, 0);

  /** Kubernetes' mapping of a CPU request to cgroup v1 cpu.shares (1 core = 1024, at least 2). */
  public long cpuShares() {
    return cpuRequestMillis == 0 ? 0 : Math.max(2, cpuRequestMillis * 1024 / 1000);
  }

  /** The CFS quota for the limit over a 100 ms period (1 core = 100,000 µs). */
  public long cpuQuotaMicros() {
    return cpuLimitMillis == 0 ? 0 : Math.max(1000, cpuLimitMillis * 100);
  }
}
