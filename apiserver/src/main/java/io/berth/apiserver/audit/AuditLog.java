package io.berth.apiserver.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of kube-apiserver's {@code --audit-log-path}: one JSON line per event,
 * written and flushed before the next, so a crash loses at most the line being written.
 * When the file would grow past {@code maxBytes} it is renamed as kube-apiserver's log
 * rotation names backups ({@code audit-2026-11-22T10-40-31.123.log} for {@code audit.log})
 * and a new one is started; only the newest {@code maxBackups} backups are kept.
 *
 * <p>Rotation is hand-written: it is twenty lines, and a logging framework's rolling
 * appender would tie the API server to one logging backend.
 */
public final class AuditLog implements AuditSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter BACKUP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS").withZone(ZoneOffset.UTC);

  private final Path path;
  private final long maxBytes;
  private final int maxBackups;
  private final Clock clock;
  private final Counter events;
  private final Counter errors;
  private OutputStream out;
  private long size;

  /**
   * @param maxBytes rotate before the file would pass this size; 0: never rotate
   * @param maxBackups how many rotated files to keep; 0: keep them all
   */
  public AuditLog(Path path, long maxBytes, int maxBackups, Clock clock, PrometheusRegistry registry)
      throws IOException {
    if (maxBytes < 0 || maxBackups < 0) {
      throw new IllegalArgumentException("the audit log's size and backup limits cannot be negative");
    }
    this.path = path.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.maxBackups = maxBackups;
    this.clock = clock;
    this.events = Counter.builder().name("berth_apiserver_audit_events_total")
        .help("Audit events written to the audit log").register(registry);
    this.errors = Counter.builder().name("berth_apiserver_audit_errors_total")
        .help("Audit events that could not be written").register(registry);
    Files.createDirectories(this.path.getParent());
    open();
  }

  @Override
  public synchronized void record(AuditEvent event) {
    try {
      byte[] line = (JSON.writeValueAsString(event.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
      if (maxBytes > 0 && size > 0 && size + line.length > maxBytes) {
        rotate();
      }
      out.write(line);
      out.flush();
      size += line.length;
      events.inc();
    } catch (IOException | RuntimeException e) {
      errors.inc();
      log.warn("audit event {} not written to {}: {}", event.auditId(), path, e.toString());
    }
  }

  private void open() throws IOException {
    out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    size = Files.size(path);
  }

  private void rotate() throws IOException {
    out.close();
    String file = path.getFileName().toString();
    int dot = file.lastIndexOf('.');
    String stem = dot > 0 ? file.substring(0, dot) : file;
    String extension = dot > 0 ? file.substring(dot) : "";
    Path backup = path.resolveSibling(stem + "-" + BACKUP_TIME.format(clock.instant()) + extension);
    for (int i = 1; Files.exists(backup); i++) {
      backup = path.resolveSibling(stem + "-" + BACKUP_TIME.format(clock.instant()) + "-" + i + extension);
    }
    Files.move(path, backup);
    log.info("audit log rotated to {}", backup);
    open();
    if (maxBackups > 0) {
      List<Path> backups = backups(stem, extension);
      for (int i = 0; i < backups.size() - maxBackups; i++) {
        Files.deleteIfExists(backups.get(i));
      }
    }
  }

  /** The rotated files, oldest first (their names sort by time). */
  private List<Path> backups(String stem, String extension) throws IOException {
    try (Stream<Path> files = Files.list(path.getParent())) {
      List<Path> found = new ArrayList<>(files.filter(p -> {
        String name = p.getFileName().toString();
        return !p.equals(path) && name.startsWith(stem + "-") && name.endsWith(extension);
      }).toList());
      found.sort(Comparator.comparing(p -> p.getFileName().toString()));
      return found;
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      log.warn("closing the audit log {}: {}", path, e.toString());
    }
  }
}
