package io.berth.store.statemachine;

import io.berth.store.command.MemberAttributes;
import io.berth.store.command.SnapshotHeader;
import io.berth.store.command.SnapshotLease;
import io.berth.store.command.SnapshotRecord;
import io.berth.store.command.UnstartedMember;
import io.berth.store.lease.LeaseTable;
import io.berth.store.mvcc.MvccStore;
import io.etcd.jetcd.api.KeyValue;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state machine's snapshot format: a length-delimited {@link SnapshotHeader},
 * then one length-delimited {@link SnapshotRecord} per retained key version (in
 * revision order), lease and member. Written to a temporary file and renamed,
 * so a crash mid-write never leaves a half snapshot under the real name.
 */
final class SnapshotFile {
  private SnapshotFile() {}

  static void write(StoreState state, Path target) throws IOException {
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    MvccStore mvcc = state.mvcc();
    List<KeyValue> versions = mvcc.allVersions();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
      long records = versions.size() + state.leases().size() + state.members().size()
          + state.unstartedMembers().size();
      SnapshotHeader.newBuilder()
          .setRevision(mvcc.revision())
          .setCompactedRevision(mvcc.compactedRevision())
          .setRecordCount(records)
          .build().writeDelimitedTo(out);
      for (KeyValue kv : versions) {
        SnapshotRecord.newBuilder().setKeyVersion(kv).build().writeDelimitedTo(out);
      }
      for (LeaseTable.Lease lease : state.leases().all()) {
        SnapshotRecord.newBuilder()
            .setLease(SnapshotLease.newBuilder().setId(lease.id()).setTtl(lease.ttlSeconds()))
            .build().writeDelimitedTo(out);
      }
      for (MemberAttributes member : state.members()) {
        SnapshotRecord.newBuilder().setMember(member).build().writeDelimitedTo(out);
      }
      for (UnstartedMember member : state.unstartedMembers()) {
        SnapshotRecord.newBuilder().setUnstartedMember(member).build().writeDelimitedTo(out);
      }
    }
    try (var channel = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void read(Path source, StoreState into) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(source), 1 << 16)) {
      SnapshotHeader header = SnapshotHeader.parseDelimitedFrom(in);
      if (header == null) {
        throw new IOException("snapshot " + source + " is empty");
      }
      List<KeyValue> versions = new ArrayList<>();
      Map<Long, Long> leases = new LinkedHashMap<>();
      List<MemberAttributes> members = new ArrayList<>();
      List<UnstartedMember> unstarted = new ArrayList<>();
      for (long i = 0; i < header.getRecordCount(); i++) {
        SnapshotRecord record = SnapshotRecord.parseDelimitedFrom(in);
        if (record == null) {
          throw new IOException("snapshot " + source + " is truncated after " + i + " of "
              + header.getRecordCount() + " records");
        }
        switch (record.getRecordCase()) {
          case KEY_VERSION -> versions.add(record.getKeyVersion());
          case LEASE -> leases.put(record.getLease().getId(), record.getLease().getTtl());
          case MEMBER -> members.add(record.getMember());
          case UNSTARTED_MEMBER -> unstarted.add(record.getUnstartedMember());
          default -> throw new IOException("snapshot " + source + " has an unknown record");
        }
      }
      MvccStore mvcc = MvccStore.restore(header.getRevision(), header.getCompactedRevision(), versions);
      into.restore(mvcc, leases, members, unstarted);
    }
  }
}
