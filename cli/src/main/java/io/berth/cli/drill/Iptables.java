package io.berth.cli.drill;

import io.berth.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The iptables command (IPv4, the filter table), run with -w so that a concurrent user's lock is waited for. */
final class Iptables {
  private Iptables() {}

  /** Fails with what to install or how to run when iptables cannot change rules here. */
  static void checkAvailable() {
    Result result;
    try {
      result = run("-S", "OUTPUT");
    } catch (IOException e) {
      throw new UserError("the partition drill needs iptables (Debian package iptables; "
          + "scripts/install-test-deps.sh installs it): " + e.getMessage());
    }
    if (result.code != 0) {
      throw new UserError("the partition drill needs iptables and the right to change its rules (run it as root): "
          + "'iptables -S OUTPUT' failed: " + result.output.strip());
    }
  }

  /** Runs {@code iptables ARGS}; throws naming the command when it fails. */
  static void must(String... args) {
    Result result;
    try {
      result = run(args);
    } catch (IOException e) {
      throw new UserError("iptables " + String.join(" ", args) + " failed: " + e.getMessage());
    }
    if (result.code != 0) {
      throw new UserError("iptables " + String.join(" ", args) + " failed: " + result.output.strip());
    }
  }

  /** Runs {@code iptables ARGS}, returning whether it succeeded (for clean-up, which goes on regardless). */
  static boolean tryRun(String... args) {
    try {
      return run(args).code == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private record Result(int code, String output) {}

  private static Result run(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
