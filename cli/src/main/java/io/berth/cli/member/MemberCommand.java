package io.berth.cli.member;

import picocli.CommandLine.Command;

/** {@code berth member list|add|remove}: the store's membership, as etcdctl's member commands. */
@Command(name = "member", mixinStandardHelpOptions = true,
    description = "List, add or remove the members (server replicas) of a running cluster.",
    subcommands = {MemberList.class, MemberAdd.class, MemberRemove.class})
public final class MemberCommand implements Runnable {
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
        "say 'berth member list', 'berth member add NAME' or 'berth member remove NAME|ID'");
  }
}
