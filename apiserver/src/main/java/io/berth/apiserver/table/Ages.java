package io.berth.apiserver.table;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** How long ago a timestamp of an object was, as kubectl prints it ("5m", "<unknown>"), measured from one instant. */
record Ages(Instant now) {
  static final String UNKNOWN = "<unknown>";

  /** The age of an RFC 3339 timestamp; "<unknown>" when there is none or it does not parse. */
  String since(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return UNKNOWN;
    }
    try {
      return HumanDuration.format(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return UNKNOWN;
    }
  }
}
