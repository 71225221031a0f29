package io.berth.store.mvcc;

import io.grpc.Status;

/**
 * A request the store refuses, carrying the gRPC code and the exact message etcd
 * uses, because clients such as etcdctl and client-go match on those texts.
 */
public final class StoreException extends RuntimeException {
  private final Status.Code code;

  public StoreException(Status.Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Status.Code code() {
    return code;
  }

  public static StoreException compacted() {
    return new StoreException(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
  }

  public static StoreException futureRevision() {
    return new StoreException(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
  }

  public static StoreException keyNotProvided() {
    return new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided");
  }

  public static StoreException keyNotFound() {
    return new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: key not found");
  }

  public static StoreException valueProvided() {
    return new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: value is provided");
  }

  public static StoreException leaseProvided() {
    return new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: lease is provided");
  }

  public static StoreException leaseNotFound() {
    return new StoreException(Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
  }

  public static StoreException leaseExists() {
    return new StoreException(Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists");
  }

  public static StoreException duplicateKey() {
    return new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
  }

  public static StoreException tooManyOps(int max) {
    return new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request");
  }

  public static StoreException requestTooLarge() {
    return new StoreException(Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large");
  }

  public static StoreException noSpace() {
    return new StoreException(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded");
  }

  public static StoreException notLeader() {
    return new StoreException(Status.Code.UNAVAILABLE, "etcdserver: not leader");
  }
}
