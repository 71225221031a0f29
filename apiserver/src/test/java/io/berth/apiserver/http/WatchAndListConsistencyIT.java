package io.berth.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.cache.WatchCache;
import io.berth.apiserver.testing.ApiCluster;
import io.berth.apiserver.testing.Http;
import io.berth.apiserver.testing.Http.Reply;
import io.berth.apiserver.testing.WatchStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-master promises of the API on a real 3-replica cluster: a list through
 * one replica sees every write acknowledged through another, and a watch resumed on
 * another replica, after its own replica died, misses nothing and repeats nothing.
 */
class WatchAndListConsistencyIT {
  @TempDir
  Path root;

  private final Http http = new Http();

  @Test
  void aListThroughOneReplicaAlwaysSeesAWriteAcknowledgedThroughAnother() throws Exception {
    try (ApiCluster cluster = ApiCluster.start(root, 3)) {
      int leader = cluster.leader(Duration.ofSeconds(30));
      String writer = cluster.url(cluster.follower());
      String reader = cluster.url(otherThan(leader, cluster.follower()));
      for (int i = 0; i < 40; i++) {
        Reply created = http.send("POST", writer + "/api/v1/namespaces/default/configmaps", configMap("c" + i));
        assertThat(created.code()).isEqualTo(201);
        long rv = created.body().at("/metadata/resourceVersion").asLong();
        Reply list = http.get(reader + "/api/v1/namespaces/default/configmaps");
        assertThat(list.body().at("/metadata/resourceVersion").asLong()).isGreaterThanOrEqualTo(rv);
        assertThat(names(list.body())).contains("c" + i);
      }
    }
  }

  @Test
  void aWatchResumedOnAnotherReplicaAfterItsReplicaIsKilledMissesNothing() throws Exception {
    try (ApiCluster cluster = ApiCluster.start(root, 3)) {
      int leader = cluster.leader(Duration.ofSeconds(30));
      int watched = cluster.follower();
      int survivor = otherThan(leader, watched);
      String start = http.get(cluster.url(survivor) + "/api/v1/namespaces/default/configmaps").body()
          .at("/metadata/resourceVersion").asText();

      List<String> written = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      long lastRevision = Long.parseLong(start);
      try (WatchStream watch = WatchStream.open(cluster.url(watched)
          + "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + start)) {
        assertThat(watch.status()).as(String.valueOf(watch.next(Duration.ofSeconds(1)))).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
          written.add(create(cluster.url(survivor), "w" + i));
        }
        while (seen.size() < 5) {
          JsonNode event = watch.next(Duration.ofSeconds(10));
          assertThat(event).as("an event within 10 s").isNotNull();
          lastRevision = record(event, seen, lastRevision);
        }
      }
      // The watched replica dies with events still unread by the client; more writes follow.
      cluster.kill(watched);
      for (int i = 10; i < 20; i++) {
        written.add(create(cluster.url(survivor), "w" + i));
      }
      try (WatchStream resumed = WatchStream.open(cluster.url(survivor)
          + "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + lastRevision)) {
        while (seen.size() < written.size()) {
          JsonNode event = resumed.next(Duration.ofSeconds(10));
          assertThat(event).as("an event within 10 s; seen so far " + seen).isNotNull();
          lastRevision = record(event, seen, lastRevision);
        }
        assertThat(resumed.next(Duration.ofMillis(300))).as("no event beyond the writes").isNull();
      }
      assertThat(new ArrayList<>(seen)).isEqualTo(written);
    }
  }

  @Test
  void aWatchFromBeforeTheCachesHistorySaysExpired() throws Exception {
    var smallHistory = new WatchCache.Settings(5, Duration.ofSeconds(1), Duration.ofSeconds(10));
    try (ApiCluster cluster = ApiCluster.start(root, 3, smallHistory)) {
      String url = cluster.url(cluster.follower());
      Reply first = http.send("POST", url + "/api/v1/namespaces/default/configmaps", configMap("first"));
      for (int i = 0; i < 10; i++) {
        create(url, "x" + i);
      }
      String from = first.body().at("/metadata/resourceVersion").asText();
      try (WatchStream watch = WatchStream.open(url + "/api/v1/namespaces/default/configmaps?watch=true"
          + "&resourceVersion=" + from)) {
        JsonNode event = watch.next(Duration.ofSeconds(10));
        assertThat(event.get("type")).as(event.toString()).isNotNull();
        assertThat(event.get("type").asText()).isEqualTo("ERROR");
        assertThat(event.at("/object/code").asInt()).isEqualTo(410);
        assertThat(event.at("/object/reason").asText()).isEqualTo("Expired");
        assertThat(watch.next(Duration.ofSeconds(5)).get("type").asText()).isEqualTo("END");
      }
    }
  }

  /** Checks one event (ADDED, in revision order, never twice) and returns its revision. */
  private static long record(JsonNode event, Set<String> seen, long lastRevision) {
    assertThat(event.get("type").asText()).isEqualTo("ADDED");
    long revision = event.at("/object/metadata/resourceVersion").asLong();
    assertThat(revision).isGreaterThan(lastRevision);
    assertThat(seen.add(event.at("/object/metadata/name").asText())).as("delivered once").isTrue();
    return revision;
  }

  private String create(String url, String name) throws Exception {
    Reply created = http.send("POST", url + "/api/v1/namespaces/default/configmaps", configMap(name));
    assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
    return name;
  }

  private static int otherThan(int a, int b) {
    for (int i = 0; i < 3; i++) {
      if (i != a && i != b) {
        return i;
      }
    }
    throw new IllegalStateException();
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.get("items").forEach(i -> names.add(i.at("/metadata/name").asText()));
    return names;
  }

  private static String configMap(String name) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}";
  }
}
