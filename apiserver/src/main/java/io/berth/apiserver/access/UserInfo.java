package io.berth.apiserver.access;

import java.util.List;

/**
 * Who sent a request, as Kubernetes' user.Info has it: a name and the groups it
 * belongs to (system:authenticated, system:masters, system:nodes, ...).
 */
public record UserInfo(String name, List<String> groups) {
  public UserInfo {
    groups = List.copyOf(groups);
  }
}
