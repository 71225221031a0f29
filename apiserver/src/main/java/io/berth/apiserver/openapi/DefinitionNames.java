package io.berth.apiserver.openapi;

import java.util.Locale;

/**
 * The names Kubernetes gives its schemas. They come from the Go package a type lives
 * in, with the domain reversed: k8s.io/api/apps/v1.Deployment is
 * {@code io.k8s.api.apps.v1.Deployment}. A built-in group's package is named after the
 * group's first label ({@code networking.k8s.io} lives in k8s.io/api/networking), and the
 * core group's is {@code core}.
 */
public final class DefinitionNames {
  public static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  public static final String STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
  public static final String DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
  public static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

  private DefinitionNames() {}

  /** {@code io.k8s.api.core.v1.Pod} for ("", "v1", "Pod"). */
  public static String forKind(String group, String version, String kind) {
    return "io.k8s.api." + goPackage(group) + "." + version + "." + kind;
  }

  /** "core" for the core group, "networking" for networking.k8s.io. */
  static String goPackage(String group) {
    return group.isEmpty() ? "core" : group.split("\\.", 2)[0].toLowerCase(Locale.ROOT);
  }
}
