package io.berth.apiserver.rest;

import io.berth.apiserver.patch.PatchType;
import io.berth.apiserver.patch.Patches;
import java.util.List;

/** Who a write is recorded for in managedFields, as kube-apiserver decides it. */
final class FieldManagers {
  private FieldManagers() {}

  /**
   * The fieldManager query parameter; without one, the User-Agent's product ("kubectl"),
   * except for an apply, which must name its manager (null: Patches refuses it).
   *
   * @param patchType the patch's type, or null for a create or update
   */
  static String of(ApiRequest request, PatchType patchType) {
    List<String> given = request.query().getOrDefault("fieldManager", List.of());
    if (!given.isEmpty() && !given.get(0).isEmpty()) {
      return given.get(0);
    }
    return patchType == PatchType.APPLY ? null : Patches.defaultFieldManager(request.header("User-Agent"));
  }

  static boolean isForce(ApiRequest request) {
    return request.query().getOrDefault("force", List.of()).contains("true");
  }
}
