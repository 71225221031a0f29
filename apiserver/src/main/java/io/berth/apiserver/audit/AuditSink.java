package io.berth.apiserver.audit;

/** Where audit events go: the audit log, or nowhere when none is configured. */
public interface AuditSink {
  void record(AuditEvent event);

  static AuditSink none() {
    return event -> { };
  }
}
