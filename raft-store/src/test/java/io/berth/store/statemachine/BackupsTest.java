package io.berth.store.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {
  @TempDir
  Path dir;

  /** A backup as the Maintenance API frames it: the snapshot, zeros to whole 512-byte blocks, its SHA-256. */
  private Path backupOf(StoreState state) throws Exception {
    Path snapshot = dir.resolve("state");
    SnapshotFile.write(state, snapshot);
    byte[] body = Files.readAllBytes(snapshot);
    byte[] padded = java.util.Arrays.copyOf(body, (body.length + 511) / 512 * 512);
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(padded);
    Path saved = dir.resolve("backup.db");
    Files.write(saved, padded);
    Files.write(saved, sha, java.nio.file.StandardOpenOption.APPEND);
    return saved;
  }

  private static StoreState emptyState() {
    return new StoreState();
  }

  @Test
  void aGoodBackupChecksOutAndSeedsANewMemberForItsFirstStart() throws Exception {
    Path saved = backupOf(emptyState());
    Backups.Contents contents = Backups.check(saved);
    assertThat(contents.sha256()).hasSize(64);
    Path dataDir = dir.resolve("member");
    Backups.seed(saved, dataDir);
    assertThat(Backups.seedPath(dataDir)).exists();
  }

  @Test
  void aDamagedBackupIsRefusedNamingTheChecksum() throws Exception {
    Path saved = backupOf(emptyState());
    byte[] bytes = Files.readAllBytes(saved);
    bytes[3] ^= 0x5a;
    Files.write(saved, bytes);
    assertThatThrownBy(() -> Backups.check(saved)).isInstanceOf(IOException.class).hasMessageContaining("damaged")
        .hasMessageContaining("SHA-256");
  }

  @Test
  void aFileThatIsNotABackupIsRefusedSayingWhy() throws Exception {
    Path notABackup = dir.resolve("notes.txt");
    Files.writeString(notABackup, "hello, this is not a snapshot at all, but it is long enough");
    assertThatThrownBy(() -> Backups.check(notABackup)).isInstanceOf(IOException.class)
        .hasMessageContaining("512-byte blocks");
    Path tiny = dir.resolve("tiny");
    Files.writeString(tiny, "x");
    assertThatThrownBy(() -> Backups.check(tiny)).hasMessageContaining("too short");
  }

  @Test
  void aRestoreNeverWritesIntoADataDirThatHoldsSomething() throws Exception {
    Path saved = backupOf(emptyState());
    Path used = dir.resolve("used");
    Files.createDirectories(used);
    Files.writeString(used.resolve("berth-member.properties"), "name=n1");
    assertThatThrownBy(() -> Backups.seed(saved, used)).hasMessageContaining("not empty");
  }
}
