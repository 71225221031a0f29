package io.berth.cli.reference;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth reference}: prints every command's flags with their defaults as Markdown. */
@Command(name = "reference", mixinStandardHelpOptions = true,
    description = "Print every command's flags and their defaults as Markdown (the configuration reference in README.md).")
public final class ReferenceCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    System.out.print(FlagReference.markdown(spec.root().commandLine()));
    return 0;
  }
}
