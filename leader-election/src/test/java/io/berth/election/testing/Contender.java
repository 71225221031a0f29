package io.berth.election.testing;

import io.berth.client.Client;
import io.berth.election.ElectionSettings;
import io.berth.election.FencingToken;
import io.berth.election.LeaderCallbacks;
import io.berth.election.LeaderElector;
import io.berth.election.Leadership;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A leader-only component for tests: while leading it runs one task that sleeps until
 * interrupted, and it records when it started leading, with which token, and whether its
 * work was still running when {@code onStoppedLeading} was called (it must not be).
 */
public final class Contender implements LeaderCallbacks {
  public final String name;
  public volatile long startedAtNanos;
  public volatile FencingToken token;
  public volatile boolean leading;
  public volatile boolean workRunningAtStop;
  public final AtomicInteger stops = new AtomicInteger();
  private volatile boolean workRunning;
  private LeaderElector elector;

  public Contender(String name) {
    this.name = name;
  }

  public Contender start(String component, List<String> storeEndpoints, ElectionSettings settings, Client api) {
    elector = LeaderElector.builder().component(component).identity(name).storeEndpoints(storeEndpoints)
        .settings(settings).callbacks(this).apiClient(api).build().start();
    return this;
  }

  public LeaderElector elector() {
    return elector;
  }

  @Override
  public void onStartedLeading(FencingToken token, Leadership leadership) {
    this.token = token;
    this.leading = true;
    this.startedAtNanos = System.nanoTime();
    leadership.submit(() -> {
      workRunning = true;
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        // leadership ended: stop
      } finally {
        workRunning = false;
      }
    });
  }

  @Override
  public void onStoppedLeading() {
    workRunningAtStop = workRunning;
    leading = false;
    stops.incrementAndGet();
  }
}
