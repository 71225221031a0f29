package io.berth.cli;

import io.berth.cli.agent.AgentCommand;
import io.berth.cli.certs.CertsCommand;
import io.berth.cli.ingress.IngressCommand;
import io.berth.cli.local.DownCommand;
import io.berth.cli.local.StatusCommand;
import io.berth.cli.local.UpCommand;
import io.berth.cli.server.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth}: one command for every Berth process and for operating a cluster. */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Berth: a Raft-replicated, highly available cluster manager.",
    subcommands = {ServerCommand.class, AgentCommand.class, IngressCommand.class, UpCommand.class, DownCommand.class,
        StatusCommand.class, CertsCommand.class, io.berth.cli.backup.SnapshotCommand.class,
        io.berth.cli.member.MemberCommand.class, io.berth.cli.drill.DrillCommand.class,
        io.berth.cli.reference.ReferenceCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(new FriendlyErrors())
        .execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Prints a one-line message for expected failures instead of a stack trace. */
  static final class FriendlyErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
      if (e instanceof UserError || e instanceof IllegalArgumentException || e instanceof IllegalStateException
          || e instanceof java.io.IOException) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        return 1;
      }
      throw new RuntimeException(e);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"berth " + (v == null ? "development build" : v)};
    }
  }
}
