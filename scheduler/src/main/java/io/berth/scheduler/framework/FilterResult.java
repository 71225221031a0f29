package io.berth.scheduler.framework;

import java.util.List;

/** What a filter says about one node: the pod fits, or it does not and these are the reasons. */
public record FilterResult(List<String> reasons) {
  private static final FilterResult FITS = new FilterResult(List.of());

  public FilterResult {
    reasons = List.copyOf(reasons);
  }

  public static FilterResult fits() {
    return FITS;
  }

  public static FilterResult fail(String... reasons) {
    if (reasons.length == 0) {
      throw new IllegalArgumentException("a failure needs a reason");
    }
    return new FilterResult(List.of(reasons));
  }

  public boolean fit() {
    return reasons.isEmpty();
  }
}
