package io.berth.client;

/** The patch formats of the Kubernetes API, by the Content-Type that names them. */
public enum PatchType {
  /** RFC 6902: a list of operations. Not idempotent (an "add" to a list adds twice), so never retried once sent. */
  JSON("application/json-patch+json", false),
  /** RFC 7386: a partial object; null deletes a field, lists are replaced whole. */
  MERGE("application/merge-patch+json", true),
  /** Kubernetes' merge patch that merges lists by key (containers by name, ...). */
  STRATEGIC_MERGE("application/strategic-merge-patch+json", true),
  /** Server-side apply: the whole intent of one field manager (needs a fieldManager). */
  APPLY("application/apply-patch+yaml", true);

  private final String contentType;
  private final boolean idempotent;

  PatchType(String contentType, boolean idempotent) {
    this.contentType = contentType;
    this.idempotent = idempotent;
  }

  public String contentType() {
    return contentType;
  }

  public boolean idempotent() {
    return idempotent;
  }
}
