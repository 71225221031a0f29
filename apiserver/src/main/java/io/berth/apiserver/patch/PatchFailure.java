package io.berth.apiserver.patch;

/**
 * A patch that cannot be applied. kube-apiserver tells two cases apart and so do we: a
 * patch document that is malformed (400 BadRequest) and one that is well formed but
 * does not apply to this object (a JSON patch path that does not exist, a failed
 * "test", patch content outside its $retainKeys: 422 Invalid). {@link Patches} turns
 * these into the API's errors; the merge code stays free of HTTP.
 */
final class PatchFailure extends RuntimeException {
  enum Kind { MALFORMED, NOT_APPLICABLE }

  private final Kind kind;

  private PatchFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  static PatchFailure malformed(String message) {
    return new PatchFailure(Kind.MALFORMED, message);
  }

  static PatchFailure notApplicable(String message) {
    return new PatchFailure(Kind.NOT_APPLICABLE, message);
  }

  Kind kind() {
    return kind;
  }
}
