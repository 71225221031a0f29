package io.berth.cli.server;

import io.berth.cli.UserError;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration flag written as etcd and kubectl users write them: 0, 90s, 30m, 1h, 1h30m. */
public final class DurationFlag {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private DurationFlag() {}

  public static Duration parse(String flag, String value) {
    if (value == null || value.isBlank()) {
      throw new UserError(flag + " needs a duration such as 30m or 1h");
    }
    if (value.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(value);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
      end = m.end();
    }
    if (end != value.length()) {
      throw new UserError(flag + " must be a duration such as 30m, 1h or 1h30m, got '" + value + "'");
    }
    return total;
  }
}
