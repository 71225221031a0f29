package io.berth.cli.local;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DIR/cluster.json: every process of a local cluster, its role, pid, ports and
 * data dir. {@code berth up} writes it and reads it back to restart what is not
 * running; {@code down}, {@code status} and the tests read it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ClusterFile {
  public static final String NAME = "cluster.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String clusterToken;
  public List<ProcessEntry> processes = new ArrayList<>();
  /** Extra flags every server of this cluster gets (berth up --server-flag), kept for restarts. */
  public List<String> serverFlags = new ArrayList<>();
  /** The directory of the cluster's certificates (berth up --tls), or null for a plaintext cluster. */
  public String pki;

  /** One process of the cluster. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class ProcessEntry {
    public String name;
    public String role;
    public long pid;
    public Map<String, Integer> ports = new LinkedHashMap<>();
    public String dataDir;
    public String log;
    /** For agents: the node address (127.0.1.N on one machine). */
    public String address;
    /** For agents: docker, process or auto. */
    public String runtime;
    /** For servers added by 'berth member add': started with --join (null for the founding members). */
    public Boolean join;

    public int port(String which) {
      Integer p = ports.get(which);
      if (p == null) {
        throw new IllegalStateException(name + " has no '" + which + "' port in " + NAME);
      }
      return p;
    }
  }

  public List<ProcessEntry> withRole(String role) {
    return processes.stream().filter(p -> role.equals(p.role)).toList();
  }

  public static ClusterFile readIfExists(Path dir) throws IOException {
    Path file = dir.resolve(NAME);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), ClusterFile.class);
    } catch (IOException e) {
      throw new IOException(file + " is not a Berth cluster file: " + e.getMessage(), e);
    }
  }

  public static ClusterFile read(Path dir) throws IOException {
    ClusterFile file = readIfExists(dir);
    if (file == null) {
      throw new IOException("no cluster at " + dir + " (" + NAME + " is missing); start one with 'berth up --dir " + dir + "'");
    }
    return file;
  }

  /** Written to a temporary file and renamed, so readers never see half a file. */
  public void write(Path dir) throws IOException {
    Path tmp = dir.resolve(NAME + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
