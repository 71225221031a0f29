package io.berth.apiserver.storage;

/**
 * A leader's fencing token (DESIGN.md, decision 4): the store key of its election
 * campaign and that key's create_revision. A write carrying it happens only if the
 * key still exists with that revision, in the same store txn as the write, so a
 * deposed leader (paused, partitioned, slow) can write nothing.
 */
public record Fence(String key, long createRevision) {
  /** The HTTP header leader-only components send it in. */
  public static final String HEADER = "X-Berth-Fencing-Token";

  public Fence {
    if (key == null || key.isEmpty() || createRevision <= 0) {
      throw new IllegalArgumentException("a fencing token names a campaign key and its create_revision");
    }
  }

  /**
   * Parses the header's value, {@code <create_revision>:<campaign key>}.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static Fence parse(String header) {
    int colon = header.indexOf(':');
    if (colon <= 0 || colon == header.length() - 1) {
      throw new IllegalArgumentException("the " + HEADER + " header must be <create_revision>:<campaign key>, not \""
          + header + "\"");
    }
    try {
      return new Fence(header.substring(colon + 1), Long.parseLong(header.substring(0, colon)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the " + HEADER + " header must begin with a revision number, not \""
          + header.substring(0, colon) + "\"");
    }
  }
}
