package io.berth.bench;

import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;

/** Adapts a unary gRPC reply to {@link ClosedLoop.AsyncOp}'s completion callback. */
final class Calls<T> implements StreamObserver<T> {
  private final Consumer<Throwable> done;

  private Calls(Consumer<Throwable> done) {
    this.done = done;
  }

  static <T> StreamObserver<T> completing(Consumer<Throwable> done) {
    return new Calls<>(done);
  }

  @Override
  public void onNext(T value) {
  }

  @Override
  public void onError(Throwable t) {
    done.accept(t);
  }

  @Override
  public void onCompleted() {
    done.accept(null);
  }
}
