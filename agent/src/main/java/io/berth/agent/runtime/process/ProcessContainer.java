package io.berth.agent.runtime.process;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * A process container's record, kept in its directory as container.json so that a restarted
 * agent knows it again: which pod and container, the command and env it was created with,
 * and, once started, its process.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
final class ProcessContainer {
  public String id;
  public String node;
  public String podUid;
  public String podNamespace;
  public String podName;
  public String name;
  public int attempt;
  public String image;
  public List<String> commandLine;
  public String workingDir;
  public Map<String, String> env;
  /** The wrapper shell's pid (also its process group and session), 0 until started. */
  public long pid;
  public long pidStartTime;
  public String startedAt;
  /** Set when the agent had to SIGKILL it: the wrapper died too and wrote no exit code. */
  public Integer killedExitCode;
  public String killedAt;
}
