package io.berth.store.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.berth.store.command.MemberAttributes;
import io.berth.store.command.StoreCommand;
import io.berth.store.lease.LeaseTable;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {
  @TempDir
  Path dir;

  private final StoreState original = new StoreState();
  private long logIndex = 1;

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private void apply(StoreCommand.Builder command) {
    assertThat(original.apply(command.build(), logIndex++).hasError()).isFalse();
  }

  private void put(String key, String value, long lease) {
    apply(StoreCommand.newBuilder().setPut(PutRequest.newBuilder().setKey(b(key)).setValue(b(value)).setLease(lease)));
  }

  private static MemberAttributes member(long id, String name) {
    return MemberAttributes.newBuilder().setMemberId(id).setName(name).addClientUrls("http://" + name + ":2379").build();
  }

  /** Leases with and without keys, keys moved between leases, updates, deletes, a txn and a compaction. */
  private void busyHistory() {
    apply(StoreCommand.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(10)));
    apply(StoreCommand.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(8).setTTL(20)));
    apply(StoreCommand.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(9).setTTL(30)));
    put("a", "1", 7); // 2
    put("b", "1", 8); // 3
    put("c", "1", 0); // 4
    put("a", "2", 8); // 5: a moves to lease 8
    apply(StoreCommand.newBuilder().setDeleteRange(DeleteRangeRequest.newBuilder().setKey(b("c")))); // 6
    apply(StoreCommand.newBuilder().setTxn(TxnRequest.newBuilder() // 7: written z before d
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("z")).setValue(b("1"))))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("d")).setValue(b("1"))))));
    put("b", "2", 8); // 8
    apply(StoreCommand.newBuilder().setCompact(CompactionRequest.newBuilder().setRevision(5)));
    apply(StoreCommand.newBuilder().setMemberAttributes(member(1, "one")));
    apply(StoreCommand.newBuilder().setMemberAttributes(member(2, "two")));
  }

  private StoreState roundTrip() throws IOException {
    Path file = dir.resolve("snapshot");
    SnapshotFile.write(original, file);
    StoreState copy = new StoreState();
    SnapshotFile.read(file, copy);
    return copy;
  }

  private static RangeResponse readAll(StoreState state, long revision) {
    return state.range(RangeRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0")).setRevision(revision).build());
  }

  @Test
  void roundTripKeepsRevisionsKeysAndVersions() throws IOException {
    busyHistory();

    StoreState copy = roundTrip();

    assertThat(copy.mvcc().revision()).isEqualTo(8);
    assertThat(copy.mvcc().compactedRevision()).isEqualTo(5);
    assertThat(copy.mvcc().allVersions()).isEqualTo(original.mvcc().allVersions());
    assertThat(copy.mvcc().sizeBytes()).isEqualTo(original.mvcc().sizeBytes());
    for (long revision = 5; revision <= 8; revision++) {
      assertThat(readAll(copy, revision)).as("read at %d", revision).isEqualTo(readAll(original, revision));
    }
    assertThat(copy.mvcc().eventsFrom(5)).isEqualTo(original.mvcc().eventsFrom(5));
  }

  @Test
  void roundTripKeepsLeasesWithTheirAttachedKeys() throws IOException {
    busyHistory();

    StoreState copy = roundTrip();

    assertThat(copy.leases().all()).extracting(LeaseTable.Lease::id).containsExactly(7L, 8L, 9L);
    assertThat(copy.leases().get(7).ttlSeconds()).isEqualTo(10);
    assertThat(copy.leases().get(7).keys()).isEmpty();
    assertThat(copy.leases().get(8).keys()).containsExactly(b("a"), b("b"));
    assertThat(copy.leases().get(9).keys()).isEmpty();
    assertThat(copy.leases().get(9).ttlSeconds()).isEqualTo(30);
  }

  @Test
  void restoredLeasesStillDeleteTheirKeysWhenRevoked() throws IOException {
    busyHistory();
    StoreState copy = roundTrip();

    copy.apply(StoreCommand.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(8)).build(), 100);

    assertThat(copy.mvcc().revision()).isEqualTo(9);
    assertThat(readAll(copy, 0).getKvsList()).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("d", "z");
  }

  @Test
  void roundTripKeepsMembers() throws IOException {
    busyHistory();

    assertThat(roundTrip().members()).containsExactly(member(1, "one"), member(2, "two"));
  }

  @Test
  void roundTripKeepsUnstartedMembers() throws IOException {
    busyHistory();
    io.berth.store.command.UnstartedMember added = io.berth.store.command.UnstartedMember.newBuilder()
        .setMemberId(9).setPeerUrl("http://127.0.0.1:9").build();
    apply(StoreCommand.newBuilder().setUnstartedMember(added));

    assertThat(roundTrip().unstartedMembers()).containsExactly(added);
  }

  @Test
  void freshStateRoundTripsAsAFreshState() throws IOException {
    StoreState copy = roundTrip();

    assertThat(copy.mvcc().revision()).isEqualTo(1);
    assertThat(copy.mvcc().compactedRevision()).isZero();
    assertThat(copy.mvcc().allVersions()).isEmpty();
    assertThat(copy.leases().size()).isZero();
    assertThat(copy.members()).isEmpty();
  }

  @Test
  void readReplacesWhatTheStateHeldBefore() throws IOException {
    busyHistory();
    Path file = dir.resolve("snapshot");
    SnapshotFile.write(original, file);
    StoreState stale = new StoreState();
    stale.apply(StoreCommand.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(99).setTTL(5)).build(), 1);
    stale.apply(StoreCommand.newBuilder().setMemberAttributes(member(3, "three")).build(), 2);

    SnapshotFile.read(file, stale);

    assertThat(stale.leases().exists(99)).isFalse();
    assertThat(stale.members()).extracting(MemberAttributes::getMemberId).containsExactly(1L, 2L);
    assertThat(stale.mvcc().revision()).isEqualTo(8);
  }

  @Test
  void writeLeavesNoPartialFileBehind() throws IOException {
    busyHistory();

    roundTrip();

    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("snapshot");
    }
  }

  @Test
  void truncatedSnapshotIsRefused() throws IOException {
    busyHistory();
    Path file = dir.resolve("snapshot");
    SnapshotFile.write(original, file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> SnapshotFile.read(file, new StoreState())).isInstanceOf(IOException.class);
  }

  @Test
  void emptySnapshotIsRefused() throws IOException {
    Path file = Files.createFile(dir.resolve("empty"));

    assertThatThrownBy(() -> SnapshotFile.read(file, new StoreState())).hasMessageContaining("is empty");
  }
}
