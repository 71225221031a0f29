package io.berth.cli.backup;

import picocli.CommandLine.Command;

/** {@code berth snapshot save|restore}: backups of the store, as etcdctl's snapshot commands. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Save a consistent snapshot of a cluster's store, or restore one into a new cluster.",
    subcommands = {SnapshotSave.class, SnapshotRestore.class})
public final class SnapshotCommand implements Runnable {
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
        "say 'berth snapshot save FILE' or 'berth snapshot restore FILE'");
  }
}
