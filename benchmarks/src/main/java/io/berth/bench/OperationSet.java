package io.berth.bench;

/**
 * The four operations of the API benchmark's rows on one side: the Kubernetes API
 * ({@link ApiOperations}) or the etcd API of the store beneath it ({@link StoreOperations}),
 * on the same cluster, so that each API row has a store row to be compared with.
 */
interface OperationSet {
  /** "api" or "store": the column of the comparison table. */
  String name();

  /** Creates a new object per call; {@code row} keeps names unique across rows. */
  ClosedLoop.AsyncOp create(String row);

  /** Reads one of the preloaded objects, chosen at random. */
  ClosedLoop.AsyncOp get();

  /** Lists every preloaded object (one namespace; one key prefix). */
  ClosedLoop.AsyncOp list();

  /** Updates the client's own object, conditioned on the version it last wrote. */
  ClosedLoop.AsyncOp update();
}
