package io.berth.client;

/**
 * Which objects a list or watch asks for. Immutable; start from {@link #ALL}.
 *
 * @param labelSelector e.g. {@code app=web,tier!=cache}, or null
 * @param fieldSelector e.g. {@code spec.nodeName=node-1}, or null
 * @param limit page size for lists (0: one page with everything); the client fetches
 *     every page, so this bounds each answer, not the result
 * @param resourceVersion for a list, the version to read at (null: the latest); for a
 *     watch, the version after which events start
 */
public record ListOptions(String labelSelector, String fieldSelector, long limit, String resourceVersion) {
  public static final ListOptions ALL = new ListOptions(null, null, 0, null);

  public ListOptions withLabelSelector(String selector) {
    return new ListOptions(selector, fieldSelector, limit, resourceVersion);
  }

  public ListOptions withFieldSelector(String selector) {
    return new ListOptions(labelSelector, selector, limit, resourceVersion);
  }

  public ListOptions withLimit(long pageSize) {
    return new ListOptions(labelSelector, fieldSelector, pageSize, resourceVersion);
  }

  public ListOptions withResourceVersion(String version) {
    return new ListOptions(labelSelector, fieldSelector, limit, version);
  }
}
