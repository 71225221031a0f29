package io.berth.cli.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every command's flags with their defaults, as Markdown, read from picocli's model of the
 * commands themselves, so the configuration reference in README.md cannot drift from the code
 * (a test compares the two; {@code make reference} rewrites README's section).
 */
public final class FlagReference {
  public static final String BEGIN = "<!-- flag-reference:begin (written by 'make reference' from 'berth reference') -->";
  public static final String END = "<!-- flag-reference:end -->";

  private FlagReference() {}

  /** The reference for {@code root} and all its subcommands, depth first, in the order they are registered. */
  public static String markdown(CommandLine root) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
      append(out, sub.getValue());
    }
    return out.toString();
  }

  private static void append(StringBuilder out, CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    if (spec.usageMessage().hidden()) {
      return;
    }
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (!option.hidden() && !option.usageHelp() && !option.versionHelp()) {
        options.add(option);
      }
    }
    out.append("### `").append(spec.qualifiedName()).append("`\n\n");
    out.append(oneLine(String.join(" ", spec.usageMessage().description()))).append("\n\n");
    List<PositionalParamSpec> arguments = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (!options.isEmpty() || !arguments.isEmpty()) {
      out.append("| flag | default | meaning |\n|---|---|---|\n");
      for (PositionalParamSpec argument : arguments) {
        out.append("| `").append(argument.paramLabel()).append("` (argument) | ")
            .append(argument.arity().min() > 0 ? "(required)" : "none").append(" | ")
            .append(escape(oneLine(String.join(" ", argument.description())))).append(" |\n");
      }
      for (OptionSpec option : options) {
        out.append("| `").append(String.join("`, `", option.names())).append(option.arity().max() > 0
            ? " " + option.paramLabel() : "").append("` | ").append(defaultOf(option)).append(" | ")
            .append(escape(meaning(option))).append(" |\n");
      }
      out.append('\n');
    }
    for (CommandLine sub : command.getSubcommands().values()) {
      append(out, sub);
    }
  }

  private static String defaultOf(OptionSpec option) {
    String value = option.defaultValue();
    if (value == null || value.isEmpty()) {
      var group = option.group();
      if (group != null && group.exclusive() && group.multiplicity().min() > 0) {
        // One of an exclusive group (--dir or --endpoints): required as a group, not each.
        return "(one of " + String.join(", ", group.options().stream().map(OptionSpec::longestName).toList()) + ")";
      }
      return option.required() ? "(required)" : option.arity().max() == 0 ? "off" : "none";
    }
    return "`" + value + "`";
  }

  /** The description without its "(default: ...)" part, which has a column of its own. */
  private static String meaning(OptionSpec option) {
    String text = oneLine(String.join(" ", option.description()));
    String value = option.defaultValue();
    if (value != null) {
      text = text.replace(" (default: " + value + ")", "").replace("(default: " + value + "; ", "(");
    }
    return text;
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
  }
}
