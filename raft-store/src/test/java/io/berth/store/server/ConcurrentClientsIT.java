package io.berth.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.berth.store.testing.StoreCluster;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients on every replica at once, mixing writes and linearizable reads:
 * batched proposals and shared ReadIndex rounds must keep every call moving
 * (a reply handled on Ratis' apply thread once deadlocked it under such load).
 */
class ConcurrentClientsIT {
  @TempDir Path dir;

  @Test
  void manyConcurrentWritersAndReadersOnEveryReplicaAllComplete() throws Exception {
    try (StoreCluster cluster = StoreCluster.start(dir, 3)) {
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      AtomicInteger completed = new AtomicInteger();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 48; c++) {
        ManagedChannel channel = cluster.channel(cluster.names().get(c % 3));
        String key = "load/" + c;
        clients.add(new Thread(() -> {
          for (int i = 0; System.nanoTime() < end; i++) {
            try {
              KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
              kv.put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs("" + i)).build());
              String read = KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                  .range(RangeRequest.newBuilder().setKey(bs(key)).build()).getKvs(0).getValue().toStringUtf8();
              if (!read.equals("" + i)) {
                failures.add(key + ": wrote " + i + ", read " + read);
              }
              completed.incrementAndGet();
            } catch (StatusRuntimeException e) {
              failures.add(key + ": " + e.getStatus());
              return;
            }
          }
        }));
      }
      clients.forEach(Thread::start);
      long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      for (Thread client : clients) {
        client.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
        assertThat(client.isAlive()).as("a client is stuck").isFalse();
      }
      assertThat(failures).isEmpty();
      assertThat(completed.get()).isGreaterThan(48);
    }
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
