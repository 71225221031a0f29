package io.berth.cli.drill;

import io.berth.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The cgroup v2 hierarchy, where a process is moved so that iptables' cgroup match
 * ({@code -m cgroup --path NAME}) can tell its packets from those of other processes on the
 * same address. Found through /proc/self/mountinfo: /sys/fs/cgroup on a unified host,
 * /sys/fs/cgroup/unified on a hybrid one.
 */
final class Cgroup2 {
  private final Path root;

  private Cgroup2(Path root) {
    this.root = root;
  }

  static Cgroup2 find() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
        String[] halves = line.split(" - ", 2);
        if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
          return new Cgroup2(Path.of(halves[0].split(" ")[4]));
        }
      }
    } catch (IOException e) {
      throw new UserError("the partition drill needs cgroup v2, and /proc/self/mountinfo cannot be read: " + e.getMessage());
    }
    throw new UserError("the partition drill needs cgroup v2 mounted (a cgroup2 file system, e.g. on /sys/fs/cgroup); "
        + "none is mounted here");
  }

  /** A new cgroup NAME directly under the root; its path for iptables is NAME. */
  Path create(String name) {
    Path dir = root.resolve(name);
    try {
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw new UserError("cannot create the cgroup " + dir + " (run the drill as root): " + e);
    }
    return dir;
  }

  /** Moves every thread of {@code pid} into the cgroup at {@code dir}. */
  static void move(long pid, Path dir) {
    try {
      Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
    } catch (IOException e) {
      throw new UserError("cannot move process " + pid + " into the cgroup " + dir + ": " + e);
    }
  }

  /** The cgroup v2 directory {@code pid} is in now (its "0::" line in /proc/PID/cgroup). */
  Optional<Path> of(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
        if (line.startsWith("0::")) {
          return Optional.of(root.resolve(line.substring(3).replaceFirst("^/", "")));
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    return Optional.empty();
  }

  /** Removes an empty cgroup; false while a process is still in it. */
  static boolean remove(Path dir) {
    try {
      Files.deleteIfExists(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
