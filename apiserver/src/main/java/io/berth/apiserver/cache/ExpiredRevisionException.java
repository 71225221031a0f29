package io.berth.apiserver.cache;

/**
 * A watch asked to start from a revision older than the cache's history reaches
 * back: Kubernetes answers 410 Gone (reason Expired), and clients relist.
 */
public final class ExpiredRevisionException extends RuntimeException {
  private final long requested;
  private final long oldest;

  public ExpiredRevisionException(long requested, long oldest) {
    super("too old resource version: " + requested + " (" + oldest + ")");
    this.requested = requested;
    this.oldest = oldest;
  }

  public long requested() {
    return requested;
  }

  public long oldest() {
    return oldest;
  }
}
