package io.berth.cli.certs;

import io.berth.cli.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth certs}: the cluster CA and every process's certificate, as PEM files in
 * one directory (keys 0600). Run again, it reuses the CA and adds only what is missing.
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
    description = "Create the cluster CA and the certificates of servers, agents, the ingress, the "
        + "controller-manager, the scheduler and an admin, and the service-account signing key.")
public final class CertsCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "Directory for the PEM files (created if missing).")
  Path dir;

  @Option(names = "--hosts", split = ",", paramLabel = "HOST",
      description = "Extra names and addresses every serving certificate is valid for "
          + "(127.0.0.1 and localhost always are).")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--servers", split = ",", paramLabel = "NAME[=HOST]", defaultValue = "n1,n2,n3",
      description = "Server replicas, each with its own address (default: ${DEFAULT-VALUE}).")
  List<String> servers = new ArrayList<>();

  @Option(names = "--agents", split = ",", paramLabel = "NAME[=HOST]",
      description = "Agents (nodes), each with its own address, e.g. node-1=127.0.1.1.")
  List<String> agents = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Map<String, List<String>> serverHosts = parse("--servers", servers);
    Map<String, List<String>> agentHosts = parse("--agents", agents);
    ClusterPki pki = ClusterPki.open(dir, System.out::println);
    for (Map.Entry<String, List<String>> server : serverHosts.entrySet()) {
      pki.server(server.getKey(), server.getValue());
    }
    for (Map.Entry<String, List<String>> agent : agentHosts.entrySet()) {
      pki.agent(agent.getKey(), agent.getValue());
    }
    pki.ingress(hosts);
    pki.clients();
    pki.serviceAccountKey();
    return 0;
  }

  private Map<String, List<String>> parse(String flag, List<String> values) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (String value : values) {
      String[] parts = value.split("=", 2);
      if (parts[0].isBlank() || (parts.length == 2 && parts[1].isBlank())) {
        throw new UserError(flag + " " + value + ": expected NAME or NAME=HOST");
      }
      List<String> names = new ArrayList<>(hosts);
      if (parts.length == 2) {
        names.add(parts[1]);
      }
      byName.put(parts[0], names);
    }
    return byName;
  }
}
