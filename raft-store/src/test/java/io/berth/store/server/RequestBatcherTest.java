package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.store.command.ResultBatch;
import io.berth.store.command.StoreCommand;
import io.berth.store.command.StoreError;
import io.berth.store.command.StoreResult;
import io.berth.store.mvcc.StoreException;
import io.etcd.jetcd.api.PutRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RequestBatcherTest {
  private final List<StoreCommand> sent = new ArrayList<>();
  private final List<CompletableFuture<StoreResult>> replies = new ArrayList<>();
  private final RequestBatcher<StoreCommand> batcher = new RequestBatcher<>(command -> {
    sent.add(command);
    CompletableFuture<StoreResult> reply = new CompletableFuture<>();
    replies.add(reply);
    return reply;
  }, RequestBatcherTest::batchOf, Runnable::run, 2, 1 << 20);

  private static StoreCommand batchOf(List<StoreCommand> commands) {
    return StoreCommand.newBuilder().setBatch(io.berth.store.command.CommandBatch.newBuilder().addAllCommands(commands))
        .build();
  }

  @Test
  void aLoneCommandIsSentAsItIsWithoutWaiting() {
    CompletableFuture<StoreResult> result = batcher.submit(put("a"));

    assertThat(sent).containsExactly(put("a"));
    replies.get(0).complete(StoreResult.newBuilder().setRevision(2).build());
    assertThat(result).isCompletedWithValue(StoreResult.newBuilder().setRevision(2).build());
  }

  @Test
  void commandsArrivingWhileAllSlotsAreBusyShareTheNextEntry() {
    batcher.submit(put("a"));
    batcher.submit(put("b"));
    List<CompletableFuture<StoreResult>> waiting = List.of(batcher.submit(put("c")), batcher.submit(put("d")),
        batcher.submit(put("e")));
    assertThat(sent).hasSize(2);

    replies.get(0).complete(StoreResult.getDefaultInstance());

    assertThat(sent).hasSize(3);
    assertThat(sent.get(2).getBatch().getCommandsList()).containsExactly(put("c"), put("d"), put("e"));
    replies.get(2).complete(StoreResult.newBuilder().setBatch(ResultBatch.newBuilder()
        .addResults(StoreResult.newBuilder().setRevision(4))
        .addResults(StoreResult.newBuilder().setError(StoreError.newBuilder()
            .setCode(io.grpc.Status.Code.NOT_FOUND.value()).setMessage("etcdserver: requested lease not found")))
        .addResults(StoreResult.newBuilder().setRevision(5))).build());

    assertThat(waiting.get(0).join().getRevision()).isEqualTo(4);
    assertThat(waiting.get(1)).isCompletedExceptionally();
    assertThat(waiting.get(1).exceptionNow()).isInstanceOf(StoreException.class)
        .hasMessage("etcdserver: requested lease not found");
    assertThat(waiting.get(2).join().getRevision()).isEqualTo(5);
  }

  @Test
  void aFailedEntryFailsEveryCommandItCarried() {
    batcher.submit(put("a"));
    batcher.submit(put("b"));
    CompletableFuture<StoreResult> c = batcher.submit(put("c"));
    CompletableFuture<StoreResult> d = batcher.submit(put("d"));
    replies.get(0).complete(StoreResult.getDefaultInstance());

    replies.get(2).completeExceptionally(new StoreException(io.grpc.Status.Code.UNAVAILABLE, "etcdserver: no leader"));

    assertThat(c).isCompletedExceptionally();
    assertThat(d).isCompletedExceptionally();
  }

  @Test
  void aBatchNeverExceedsTheByteLimitUnlessOneCommandAloneDoes() {
    List<CompletableFuture<StoreResult>> pending = new ArrayList<>();
    RequestBatcher<StoreCommand> small = new RequestBatcher<>(command -> {
      sent.add(command);
      CompletableFuture<StoreResult> reply = new CompletableFuture<>();
      pending.add(reply);
      return reply;
    }, RequestBatcherTest::batchOf, Runnable::run, 1, 100);
    small.submit(put("first"));
    small.submit(putOfSize("x", 60));
    small.submit(putOfSize("y", 60));
    small.submit(putOfSize("z", 200));

    pending.get(0).complete(StoreResult.getDefaultInstance());
    assertThat(sent.get(1)).isEqualTo(putOfSize("x", 60));
    pending.get(1).complete(StoreResult.getDefaultInstance());
    assertThat(sent.get(2)).isEqualTo(putOfSize("y", 60));
    pending.get(2).complete(StoreResult.getDefaultInstance());
    assertThat(sent.get(3)).isEqualTo(putOfSize("z", 200));
  }

  private static StoreCommand put(String key) {
    return StoreCommand.newBuilder().setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))).build();
  }

  private static StoreCommand putOfSize(String key, int valueBytes) {
    return StoreCommand.newBuilder().setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
        .setValue(ByteString.copyFrom(new byte[valueBytes]))).build();
  }
}
