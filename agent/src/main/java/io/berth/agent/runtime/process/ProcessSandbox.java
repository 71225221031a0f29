package io.berth.agent.runtime.process;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.berth.agent.runtime.PortMapping;
import java.util.List;

/** A process pod's sandbox record (sandbox.json in the pod's directory): there is no namespace, only ports. */
@JsonIgnoreProperties(ignoreUnknown = true)
final class ProcessSandbox {
  public String node;
  public String podUid;
  public String podNamespace;
  public String podName;
  public String ip;
  public List<PortMapping> ports;
}
