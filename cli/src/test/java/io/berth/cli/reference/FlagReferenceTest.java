package io.berth.cli.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FlagReferenceTest {
  @Test
  void readmesConfigurationReferenceIsTheOneTheCommandsDescribe() throws Exception {
    String readme = Files.readString(repo().resolve("README.md"));
    int begin = readme.indexOf(FlagReference.BEGIN);
    int end = readme.indexOf(FlagReference.END);
    assertThat(begin).as("README.md has the flag reference markers").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String inReadme = readme.substring(begin + FlagReference.BEGIN.length(), end).strip();

    String generated = FlagReference.markdown(new CommandLine(new Main())).strip();

    assertThat(inReadme).as("README.md's configuration reference is out of date: run 'make reference'")
        .isEqualTo(generated);
  }

  @Test
  void listsEveryFlagWithItsDefaultAndRequiredOnes() {
    String reference = FlagReference.markdown(new CommandLine(new Main()));

    assertThat(reference).contains("### `berth server`", "### `berth snapshot save`", "### `berth drill`");
    assertThat(reference).contains("| `--leader-election-ttl DURATION` | `1s` |");
    assertThat(reference).contains("| `--name <name>` | (required) |");
    assertThat(reference).contains("| `--delete-workloads` | off |");
    assertThat(reference).doesNotContain("--help", "${DEFAULT-VALUE}");
  }

  private static Path repo() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("README.md")) && Files.exists(d.resolve("cli"))) {
        return d;
      }
    }
    throw new IllegalStateException("the repository's root was not found");
  }
}
