package io.berth.election;

/**
 * Who leads an election: the campaign key with the lowest create_revision under the
 * election's prefix, and the identity its candidate wrote as the value.
 */
public record Leader(String key, long revision, String identity) {
  public FencingToken token() {
    return new FencingToken(key, revision);
  }
}
