package io.berth.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.client.transport.Exchange;
import io.berth.client.transport.HttpCall;
import io.berth.client.transport.Json;
import io.berth.client.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** What every view of one client shares: the transport, the watch timers, the settings. */
record ClientContext(Transport transport, ScheduledExecutorService timers, Duration watchStallGrace) {

  /** Sends {@code call} and decodes a successful answer as {@code type}; anything else is an ApiException. */
  <R> R call(HttpCall call, Class<R> type) {
    try (Exchange answer = transport.send(call)) {
      byte[] body = answer.readBody();
      if (!answer.successful()) {
        throw ApiException.fromAnswer(answer.status(), body);
      }
      try {
        return Json.MAPPER.readValue(body, type);
      } catch (IOException e) {
        throw new UncheckedIOException("the API answered " + call + " with a body that is not a "
            + type.getSimpleName() + ": " + e.getMessage(), e);
      }
    }
  }

  static byte[] encode(Object object) {
    try {
      return Json.MAPPER.writeValueAsBytes(object);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
