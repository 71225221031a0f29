package io.berth.client;

/**
 * @param fieldManager who makes the change (required for {@link PatchType#APPLY}), or null
 * @param force for APPLY: take over fields other managers own instead of failing with a conflict
 */
public record PatchOptions(String fieldManager, boolean force) {
  public static final PatchOptions NONE = new PatchOptions(null, false);
}
