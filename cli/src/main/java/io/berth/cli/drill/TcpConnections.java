package io.berth.cli.drill;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP connections a process holds, read from /proc: its socket inodes (/proc/PID/fd) matched
 * against the kernel's socket tables (/proc/PID/net/tcp and tcp6; a Java socket to 127.0.0.1 is
 * often an IPv6 one with a mapped address, but its packets are IPv4).
 */
final class TcpConnections {
  /** One connection's local and remote ports. */
  record Connection(int localPort, int remotePort) {}

  private static final String LISTEN = "0A";

  private TcpConnections() {}

  static List<Connection> of(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds) {
        try {
          String link = Files.readSymbolicLink(fd).toString();
          if (link.startsWith("socket:[")) {
            inodes.add(link.substring("socket:[".length(), link.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    List<Connection> connections = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file).stream().skip(1).toList()) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && !f[3].equals(LISTEN) && inodes.contains(f[9])) {
          connections.add(new Connection(port(f[1]), port(f[2])));
        }
      }
    }
    return connections;
  }

  private static int port(String hexAddress) {
    return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
  }
}
