package io.berth.chaos.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The image every replica container runs: empty but for the directories a process needs and
 * links to the host's /usr, which the container mounts read-only. There is no registry to pull
 * a base image from, and none is needed: the replicas run the host's JDK, shell and iptables
 * on the host's libraries, so the image is imported from a tarball built here (what
 * {@code docker import} does), once per engine.
 */
final class BaseImage {
  static final String NAME = "berth/chaos-base:test";

  private BaseImage() {}

  static void ensure(DockerClient docker) {
    try {
      docker.inspectImageCmd(NAME).exec();
      return;
    } catch (NotFoundException absent) {
      // built below
    }
    // docker-java's import (createImageCmd with a stream) sends the tarball in a way this engine
    // reads as truncated ("unexpected EOF"), so the docker CLI, which the engine's package ships,
    // imports it.
    try {
      Process importing = new ProcessBuilder("docker", "import", "-", NAME).redirectErrorStream(true).start();
      try (var stdin = importing.getOutputStream()) {
        stdin.write(rootFilesystem());
      }
      String output = new String(importing.getInputStream().readAllBytes());
      if (importing.waitFor() != 0) {
        throw new IllegalStateException("docker import of " + NAME + " failed: " + output.trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run docker import", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted importing " + NAME, e);
    }
  }

  /**
   * bin, lib and lib64 link into /usr as on Debian 12; /data holds the replica's state. sbin is a
   * directory of its own because Docker mounts its init there, which a link into the read-only
   * /usr would not allow (the host's sbin tools are reached as /usr/sbin).
   */
  private static byte[] rootFilesystem() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (String dir : new String[] {"usr/", "etc/", "tmp/", "data/", "berth/", "proc/", "sys/", "dev/", "sbin/"}) {
        TarArchiveEntry entry = new TarArchiveEntry(dir);
        entry.setMode(dir.equals("tmp/") ? 01777 : 0755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      }
      for (String link : new String[] {"bin", "lib", "lib64"}) {
        TarArchiveEntry entry = new TarArchiveEntry(link, TarArchiveEntry.LF_SYMLINK);
        entry.setLinkName("usr/" + link);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
