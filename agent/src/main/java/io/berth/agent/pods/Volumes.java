package io.berth.agent.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A pod's volumes on the node: emptyDir, configMap/secret and projected volumes are directories under
 * the pod's volume directory, hostPath is the host's path. ConfigMap and secret files are
 * written again whenever the object changes (each file replaced by a rename, so a reader
 * never sees half of one), and keys that are gone are removed.
 */
public final class Volumes {
  private final Path root;
  private final PodObjects objects;
  private final ServiceAccountTokens tokens;

  /** @param root the directory under which each pod gets {@code <uid>/volumes/<name>} */
  public Volumes(Path root, PodObjects objects) {
    this(root, objects, ServiceAccountTokens.none());
  }

  /** As above, with projected service-account tokens from {@code tokens}. */
  public Volumes(Path root, PodObjects objects, ServiceAccountTokens tokens) {
    this.root = root.toAbsolutePath();
    this.objects = objects;
    this.tokens = tokens;
  }

  /**
   * Makes every volume of {@code pod} exist with its current content; returns each volume's
   * host path by name.
   *
   * @throws ContainerSpecs.CreateContainerConfigError when a referenced object is missing
   */
  public Map<String, String> prepare(Pod pod) throws IOException {
    Map<String, String> paths = new LinkedHashMap<>();
    List<Volume> volumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    String namespace = pod.getMetadata().getNamespace();
    for (Volume volume : volumes) {
      Path dir = podDir(pod.getMetadata().getUid()).resolve(volume.getName());
      if (volume.getHostPath() != null) {
        paths.put(volume.getName(), volume.getHostPath().getPath());
        continue;
      }
      if (volume.getConfigMap() != null) {
        var source = volume.getConfigMap();
        var map = objects.configMap(namespace, source.getName());
        if (map.isEmpty() && !Boolean.TRUE.equals(source.getOptional())) {
          throw new ContainerSpecs.CreateContainerConfigError("configmap \"" + source.getName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        map.map(ConfigMap::getData).ifPresent(d -> d.forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8))));
        map.map(ConfigMap::getBinaryData).ifPresent(d -> d.forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v))));
        writeFiles(dir, select(data, source.getItems()));
      } else if (volume.getSecret() != null) {
        var source = volume.getSecret();
        var secret = objects.secret(namespace, source.getSecretName());
        if (secret.isEmpty() && !Boolean.TRUE.equals(source.getOptional())) {
          throw new ContainerSpecs.CreateContainerConfigError("secret \"" + source.getSecretName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        secret.ifPresent(s -> ContainerSpecs.secretData(s).forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8))));
        writeFiles(dir, select(data, source.getItems()));
      } else if (volume.getProjected() != null) {
        writeFiles(dir, projected(pod, volume.getProjected().getSources()));
      } else if (volume.getEmptyDir() != null || volume.getDownwardAPI() == null) {
        Files.createDirectories(dir);
      }
      paths.put(volume.getName(), dir.toString());
    }
    return paths;
  }

  /**
   * The files of a projected volume, source by source: a service-account token, ConfigMap and
   * Secret keys, and the downward API's pod fields (what the service-account volume the API
   * server adds to every pod needs: token, ca.crt, namespace).
   */
  private Map<String, byte[]> projected(Pod pod, List<VolumeProjection> sources) {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (VolumeProjection source : sources == null ? List.<VolumeProjection>of() : sources) {
      if (source.getServiceAccountToken() != null) {
        var projection = source.getServiceAccountToken();
        long seconds = projection.getExpirationSeconds() == null ? 3600 : projection.getExpirationSeconds();
        String account = pod.getSpec().getServiceAccountName() == null ? "default"
            : pod.getSpec().getServiceAccountName();
        files.put(projection.getPath(), tokens.token(pod, account, seconds).getBytes(StandardCharsets.UTF_8));
      } else if (source.getConfigMap() != null) {
        var projection = source.getConfigMap();
        var map = objects.configMap(namespace, projection.getName());
        if (map.isEmpty() && !Boolean.TRUE.equals(projection.getOptional())) {
          throw new ContainerSpecs.CreateContainerConfigError("configmap \"" + projection.getName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        map.map(ConfigMap::getData).ifPresent(d -> d.forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8))));
        files.putAll(select(data, projection.getItems()));
      } else if (source.getSecret() != null) {
        var projection = source.getSecret();
        var secret = objects.secret(namespace, projection.getName());
        if (secret.isEmpty() && !Boolean.TRUE.equals(projection.getOptional())) {
          throw new ContainerSpecs.CreateContainerConfigError("secret \"" + projection.getName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        secret.ifPresent(s -> ContainerSpecs.secretData(s).forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8))));
        files.putAll(select(data, projection.getItems()));
      } else if (source.getDownwardAPI() != null) {
        for (var item : source.getDownwardAPI().getItems() == null ? List.<DownwardAPIVolumeFile>of()
            : source.getDownwardAPI().getItems()) {
          if (item.getFieldRef() != null) {
            files.put(item.getPath(), podField(pod, item.getFieldRef().getFieldPath()).getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    }
    return files;
  }

  private static String podField(Pod pod, String path) {
    return switch (path) {
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.uid" -> pod.getMetadata().getUid();
      case "spec.serviceAccountName" -> String.valueOf(pod.getSpec().getServiceAccountName());
      case "spec.nodeName" -> String.valueOf(pod.getSpec().getNodeName());
      default -> throw new ContainerSpecs.CreateContainerConfigError("downward API field " + path
          + " is not supported here");
    };
  }

  /** Removes every volume directory of the pod (never a hostPath). */
  public void remove(String podUid) {
    tokens.forget(podUid);
    Path dir = podDir(podUid);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort; a leftover directory holds no process
    }
  }

  private Path podDir(String uid) {
    return root.resolve(uid).resolve("volumes");
  }

  private static Map<String, byte[]> select(Map<String, byte[]> data, List<KeyToPath> items) {
    if (items == null || items.isEmpty()) {
      return data;
    }
    Map<String, byte[]> chosen = new LinkedHashMap<>();
    for (KeyToPath item : items) {
      if (data.containsKey(item.getKey())) {
        chosen.put(item.getPath(), data.get(item.getKey()));
      }
    }
    return chosen;
  }

  private static void writeFiles(Path dir, Map<String, byte[]> files) throws IOException {
    Files.createDirectories(dir);
    for (var file : files.entrySet()) {
      Path target = dir.resolve(file.getKey()).normalize();
      if (!target.startsWith(dir)) {
        throw new ContainerSpecs.CreateContainerConfigError("volume path " + file.getKey() + " leaves the volume");
      }
      if (Files.exists(target) && java.util.Arrays.equals(Files.readAllBytes(target), file.getValue())) {
        continue;
      }
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.write(tmp, file.getValue());
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    try (Stream<Path> existing = Files.list(dir)) {
      for (Path p : existing.toList()) {
        if (Files.isRegularFile(p) && !files.containsKey(p.getFileName().toString())) {
          Files.delete(p);
        }
      }
    }
  }
}
