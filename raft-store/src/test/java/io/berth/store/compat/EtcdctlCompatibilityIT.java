package io.berth.store.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.store.command.SnapshotHeader;
import io.berth.store.grpc.MaintenanceService;
import io.berth.store.testing.StoreCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's own command-line client, unmodified, against a 3-replica Berth
 * cluster: every command's output, exit code and effect is checked as etcd
 * would produce it. Needs {@code etcdctl} v3.4 (Debian: etcd-client) on the
 * PATH or at {@code $ETCDCTL_BIN}; without it the test is skipped, or fails
 * when {@code CI=true}.
 *
 * <p>Tests share one cluster and use disjoint key prefixes, so they do not
 * depend on each other's order; only the test that stops a member runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdctlCompatibilityIT {
  private static final Duration AWAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;

  private StoreCluster cluster;
  private Etcdctl etcdctl;

  @BeforeAll
  void startCluster() {
    Optional<Path> binary = Etcdctl.locate();
    if (binary.isEmpty()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(missingEtcdctl() + "; CI=true requires it: install etcd-client on the CI image");
      }
      return; // every test is skipped by requireEtcdctl
    }
    cluster = StoreCluster.start(dir, 3);
    etcdctl = new Etcdctl(binary.get(), cluster.names().stream().map(cluster::clientEndpoint).toList());
    String version = etcdctl.run("version").ok().stdout();
    assertThat(version).as("etcdctl version").contains("etcdctl version: 3.").contains("API version: 3.");
    awaitAllMembersPublished();
  }

  @BeforeEach
  void requireEtcdctl() {
    Assumptions.assumeTrue(etcdctl != null, EtcdctlCompatibilityIT::missingEtcdctl);
  }

  private static String missingEtcdctl() {
    String explicit = System.getenv("ETCDCTL_BIN");
    return "etcdctl (etcd v3.4 client, Debian package etcd-client) was not found "
        + (explicit == null || explicit.isBlank() ? "on the PATH" : "at $ETCDCTL_BIN=" + explicit)
        + ", so etcd compatibility cannot be checked";
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Members publish their name and client URL through the log just after starting. */
  private void awaitAllMembersPublished() {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (true) {
      Etcdctl.Result list = etcdctl.run("member", "list", "-w", "json");
      if (list.exitCode() == 0) {
        long published = 0;
        for (JsonNode m : list.json().path("members")) {
          if (!m.path("name").asText().isEmpty() && m.path("clientURLs").size() == 1) {
            published++;
          }
        }
        if (published == cluster.names().size()) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        fail("members never all published their names and client URLs: " + list);
      }
      Etcdctl.sleep(200);
    }
  }

  // ---------------------------------------------------------------- KV

  @Test
  void putAndGet() {
    assertThat(etcdctl.run("put", "/kv/b", "2").ok().stdout()).isEqualTo("OK\n");
    long created = put("/kv/a", "1");
    put("/kv/c", "3");
    long updated = put("/kv/a", "1-new");

    assertThat(etcdctl.run("get", "/kv/a").ok().stdout()).isEqualTo("/kv/a\n1-new\n");
    assertThat(etcdctl.run("get", "/kv/a", "--print-value-only").ok().stdout()).isEqualTo("1-new\n");
    assertThat(etcdctl.run("get", "/kv/a", "--rev=" + created).ok().stdout()).isEqualTo("/kv/a\n1\n");
    assertThat(etcdctl.run("get", "/kv/a", "--rev=" + (created - 1)).ok().stdout())
        .as("the key did not exist yet").isEmpty();
    assertThat(etcdctl.run("get", "/kv/missing").ok().stdout()).isEmpty();
    assertThat(etcdctl.run("get", "/kv/", "--prefix").ok().stdout())
        .isEqualTo("/kv/a\n1-new\n/kv/b\n2\n/kv/c\n3\n");
    assertThat(etcdctl.run("get", "/kv/b", "/kv/d").ok().stdout()).as("[key, range_end)")
        .isEqualTo("/kv/b\n2\n/kv/c\n3\n");
    assertThat(etcdctl.run("get", "/kv/", "--prefix", "--keys-only").ok().stdout())
        .isEqualTo("/kv/a\n\n/kv/b\n\n/kv/c\n\n");

    JsonNode one = etcdctl.run("get", "/kv/a", "-w", "json").ok().json();
    assertThat(one.path("header").path("revision").asLong()).isEqualTo(updated);
    assertThat(u64(one.path("header").path("cluster_id"))).isEqualTo(cluster.member("s1").node().clusterId());
    assertThat(memberIds()).contains(u64(one.path("header").path("member_id")));
    assertThat(one.path("header").path("raft_term").asLong()).isPositive();
    assertThat(one.path("count").asLong()).isEqualTo(1);
    JsonNode kv = one.path("kvs").get(0);
    assertThat(kv.path("key").asText()).isEqualTo(b64("/kv/a"));
    assertThat(kv.path("value").asText()).isEqualTo(b64("1-new"));
    assertThat(kv.path("create_revision").asLong()).isEqualTo(created);
    assertThat(kv.path("mod_revision").asLong()).isEqualTo(updated);
    assertThat(kv.path("version").asLong()).isEqualTo(2);
    assertThat(kv.has("lease")).as("no lease").isFalse();

    JsonNode limited = etcdctl.run("get", "/kv/", "--prefix", "--limit=2", "-w", "json").ok().json();
    assertThat(keys(limited)).containsExactly("/kv/a", "/kv/b");
    assertThat(limited.path("count").asLong()).as("count ignores the limit").isEqualTo(3);
    assertThat(limited.path("more").asBoolean()).isTrue();
    JsonNode all = etcdctl.run("get", "/kv/", "--prefix", "--limit=3", "-w", "json").ok().json();
    assertThat(all.path("more").asBoolean(false)).isFalse();

    assertThat(etcdctl.run("get", "/kv/", "--prefix", "--sort-by=MODIFY", "--order=DESCEND", "--keys-only")
        .ok().lines()).containsExactly("/kv/a", "", "/kv/c", "", "/kv/b", "");
    assertThat(etcdctl.run("get", "/kv/", "--prefix", "--sort-by=CREATE", "--keys-only").ok().lines())
        .as("a sort target without an order is ascending").containsExactly("/kv/b", "", "/kv/a", "", "/kv/c", "");
    assertThat(etcdctl.run("get", "/kv/", "--prefix", "--sort-by=VALUE", "--order=DESCEND", "--print-value-only")
        .ok().lines()).containsExactly("3", "2", "1-new");
    assertThat(etcdctl.run("get", "/kv/", "--prefix", "--sort-by=VERSION", "--order=DESCEND", "--limit=1",
        "--keys-only").ok().lines()).as("sorted before the limit applies").containsExactly("/kv/a", "");
    assertThat(etcdctl.run("get", "/kv/", "--prefix", "--order=DESCEND", "--keys-only").ok().lines())
        .containsExactly("/kv/c", "", "/kv/b", "", "/kv/a", "");
  }

  @Test
  void putWithPrevKvAndIgnoreValue() {
    put("/pv/k", "first");
    assertThat(etcdctl.run("put", "/pv/k", "second", "--prev-kv").ok().stdout()).isEqualTo("OK\n/pv/k\nfirst\n");
    assertThat(etcdctl.run("put", "/pv/k", "--ignore-value").ok().stdout()).isEqualTo("OK\n");
    JsonNode kv = etcdctl.run("get", "/pv/k", "-w", "json").ok().json().path("kvs").get(0);
    assertThat(kv.path("value").asText()).isEqualTo(b64("second"));
    assertThat(kv.path("version").asLong()).isEqualTo(3);
    assertThat(etcdctl.run("put", "/pv/absent", "--ignore-value").failed().stderr())
        .contains("Error: etcdserver: key not found");
  }

  @Test
  void delete() {
    put("/del/a", "A");
    put("/del/b", "B");
    put("/del/c", "C");
    put("/delx", "outside the prefix");

    assertThat(etcdctl.run("del", "/del/a").ok().stdout()).isEqualTo("1\n");
    long before = revisionNow();
    assertThat(etcdctl.run("del", "/del/missing").ok().stdout()).isEqualTo("0\n");
    assertThat(revisionNow()).as("deleting nothing is not a write").isEqualTo(before);

    assertThat(etcdctl.run("del", "/del/", "--prefix", "--prev-kv").ok().stdout())
        .isEqualTo("2\n/del/b\nB\n/del/c\nC\n");
    assertThat(revisionNow()).as("one revision for the whole range").isEqualTo(before + 1);
    assertThat(etcdctl.run("get", "/del/", "--prefix").ok().stdout()).isEmpty();
    assertThat(etcdctl.run("get", "/delx", "--print-value-only").ok().stdout()).isEqualTo("outside the prefix\n");

    JsonNode deleted = etcdctl.run("del", "/delx", "--prev-kv", "-w", "json").ok().json();
    assertThat(deleted.path("deleted").asLong()).isEqualTo(1);
    assertThat(deleted.path("prev_kvs").get(0).path("value").asText()).isEqualTo(b64("outside the prefix"));
    assertThat(deleted.path("header").path("revision").asLong()).isEqualTo(before + 2);
  }

  // ---------------------------------------------------------------- Txn

  @Test
  void txnSuccessAndFailureBranches() {
    long created = put("/txn/k", "v");

    String succeeding = """
        mod("/txn/k") > "0"
        value("/txn/k") = "v"
        version("/txn/k") = "1"
        create("/txn/k") = "%d"

        put /txn/k v2
        get /txn/k

        put /txn/failed yes

        """.formatted(created);
    assertThat(etcdctl.runWithInput(succeeding, "txn").ok().stdout()).isEqualTo("SUCCESS\n\nOK\n\n/txn/k\nv2\n");
    assertThat(etcdctl.run("get", "/txn/failed").ok().stdout()).isEmpty();

    String failing = """
        value("/txn/k") = "v"

        put /txn/succeeded yes

        put /txn/failed yes
        del /txn/k

        """;
    assertThat(etcdctl.runWithInput(failing, "txn").ok().stdout()).isEqualTo("FAILURE\n\nOK\n\n1\n");
    assertThat(etcdctl.run("get", "/txn/failed", "--print-value-only").ok().stdout()).isEqualTo("yes\n");
    assertThat(etcdctl.run("get", "/txn/succeeded").ok().stdout()).isEmpty();
    assertThat(etcdctl.run("get", "/txn/k").ok().stdout()).isEmpty();

    // A missing key compares as zeros; both puts of one txn share its revision.
    String missingKey = """
        version("/txn/k") = "0"
        create("/txn/k") = "0"
        mod("/txn/k") < "1"

        put /txn/x 1
        put /txn/y 2

        put /txn/never 1

        """;
    JsonNode txn = etcdctl.runWithInput(missingKey, "txn", "-w", "json").ok().json();
    assertThat(txn.path("succeeded").asBoolean()).isTrue();
    long revision = txn.path("header").path("revision").asLong();
    assertThat(txn.path("responses")).hasSize(2);
    for (String key : List.of("/txn/x", "/txn/y")) {
      JsonNode kv = etcdctl.run("get", key, "-w", "json").ok().json().path("kvs").get(0);
      assertThat(kv.path("mod_revision").asLong()).as(key).isEqualTo(revision);
    }
    assertThat(etcdctl.run("get", "/txn/never").ok().stdout()).isEmpty();

    String notGreater = """
        mod("/txn/x") > "%d"

        put /txn/never 1

        get /txn/x

        """.formatted(revision);
    assertThat(etcdctl.runWithInput(notGreater, "txn").ok().stdout()).isEqualTo("FAILURE\n\n/txn/x\n1\n");
    // etcdctl reads each section up to an empty line, so an empty failure branch is one more.
    String notEqual = """
        value("/txn/y") != "3"

        del /txn/y


        """;
    assertThat(etcdctl.runWithInput(notEqual, "txn").ok().stdout()).isEqualTo("SUCCESS\n\n1\n");
  }

  @Test
  void txnWritingOneKeyTwiceIsRefused() {
    // No compares, then a success branch putting one key twice, then an empty failure branch.
    String duplicate = "\nput /txn-dup/k 1\nput /txn-dup/k 2\n\n\n";
    Etcdctl.Result result = etcdctl.runWithInput(duplicate, "txn").failed();
    assertThat(result.stderr()).contains("Error: etcdserver: duplicate key given in txn request");
    assertThat(etcdctl.run("get", "/txn-dup/k").ok().stdout()).isEmpty();
  }

  // ---------------------------------------------------------------- Watch

  @Test
  void watchReplaysHistoryFromARevisionThenFollows() {
    long first = put("/watch/a", "1");
    put("/watch/b", "2");
    long third = put("/watch/a", "3");
    etcdctl.run("del", "/watch/a").ok();
    long deleted = revisionNow();

    try (Etcdctl.Background watch = etcdctl.start("watch", "--prefix", "/watch/", "--rev=" + first)) {
      String replay = "PUT\n/watch/a\n1\nPUT\n/watch/b\n2\nPUT\n/watch/a\n3\nDELETE\n/watch/a\n\n";
      watch.awaitStdout(out -> out.length() >= replay.length(), AWAIT, "the replayed history");
      put("/watch/c", "4");
      put("/watchx", "outside the prefix");
      put("/watch/d", "5");
      String expected = replay + "PUT\n/watch/c\n4\nPUT\n/watch/d\n5\n";
      watch.awaitStdout(out -> out.length() >= expected.length(), AWAIT, "the live events");
      Etcdctl.sleep(200);
      assertThat(watch.stdout()).isEqualTo(expected);
    }

    // The same history as JSON, one key, with previous values.
    try (Etcdctl.Background watch = etcdctl.start("watch", "/watch/a", "--rev=" + first, "--prev-kv", "-w", "json")) {
      String out = watch.awaitStdout(s -> s.chars().filter(c -> c == '\n').count() >= 3, AWAIT, "three responses");
      List<JsonNode> responses = out.lines().map(EtcdctlCompatibilityIT::parse).toList();
      assertThat(responses).hasSize(3);
      JsonNode put1 = responses.get(0).path("Events").get(0);
      assertThat(put1.has("type")).as("PUT is the zero value").isFalse();
      assertThat(put1.path("kv").path("mod_revision").asLong()).isEqualTo(first);
      assertThat(put1.path("kv").path("value").asText()).isEqualTo(b64("1"));
      assertThat(put1.has("prev_kv")).isFalse();
      JsonNode put3 = responses.get(1).path("Events").get(0);
      assertThat(put3.path("kv").path("mod_revision").asLong()).isEqualTo(third);
      assertThat(put3.path("kv").path("version").asLong()).isEqualTo(2);
      assertThat(put3.path("prev_kv").path("value").asText()).isEqualTo(b64("1"));
      JsonNode delete = responses.get(2).path("Events").get(0);
      assertThat(delete.path("type").asInt()).as("DELETE").isEqualTo(1);
      assertThat(delete.path("kv").path("key").asText()).isEqualTo(b64("/watch/a"));
      assertThat(delete.path("kv").path("mod_revision").asLong()).isEqualTo(deleted);
      assertThat(delete.path("prev_kv").path("value").asText()).isEqualTo(b64("3"));
      for (JsonNode response : responses) {
        assertThat(response.path("Canceled").asBoolean()).isFalse();
        assertThat(response.path("Events")).hasSize(1);
      }
    }
  }

  @Test
  void watchPrefixSeesLiveChanges() {
    try (Etcdctl.Background watch = etcdctl.start("watch", "--prefix", "/live/")) {
      // etcdctl prints nothing when the watch is created: write markers until one shows.
      long deadline = System.nanoTime() + AWAIT.toNanos();
      for (int i = 0; !watch.stdout().contains("/live/marker"); i++) {
        assertThat(System.nanoTime()).as("the watch never reported a marker: " + watch.stderr()).isLessThan(deadline);
        put("/live/marker", Integer.toString(i));
        Etcdctl.sleep(200);
      }
      put("/live/x", "1");
      put("/live-other/x", "not watched");
      put("/live/x", "2");
      etcdctl.run("del", "/live/x").ok();
      String events = "PUT\n/live/x\n1\nPUT\n/live/x\n2\nDELETE\n/live/x\n\n";
      watch.awaitStdout(out -> out.endsWith(events), AWAIT, "the live events");
      Etcdctl.sleep(200);
      assertThat(watch.stdout().replaceAll("PUT\n/live/marker\n\\d+\n", "")).isEqualTo(events);
    }
  }

  // ---------------------------------------------------------------- Leases

  @Test
  void leaseLifecycle() {
    String granted = etcdctl.run("lease", "grant", "60").ok().stdout();
    Matcher m = Pattern.compile("lease ([0-9a-f]{16}) granted with TTL\\(60s\\)\n").matcher(granted);
    assertThat(m.matches()).as(granted).isTrue();
    String hex = m.group(1);
    long id = Long.parseUnsignedLong(hex, 16);
    assertThat(id).isPositive();

    List<String> list = etcdctl.run("lease", "list").ok().lines();
    assertThat(list.get(0)).isEqualTo("found " + (list.size() - 1) + " leases");
    assertThat(list.subList(1, list.size())).contains(hex);

    assertThat(etcdctl.run("put", "/lease/k", "v", "--lease=" + hex).ok().stdout()).isEqualTo("OK\n");
    put("/lease/free", "no lease");
    JsonNode kv = etcdctl.run("get", "/lease/k", "-w", "json").ok().json().path("kvs").get(0);
    assertThat(kv.path("lease").asLong()).isEqualTo(id);

    String ttl = etcdctl.run("lease", "timetolive", hex, "--keys").ok().stdout();
    Matcher t = Pattern.compile("lease " + hex + " granted with TTL\\(60s\\), remaining\\((\\d+)s\\), attached keys\\(\\[/lease/k\\]\\)\n")
        .matcher(ttl);
    assertThat(t.matches()).as(ttl).isTrue();
    assertThat(Long.parseLong(t.group(1))).isBetween(1L, 60L);
    JsonNode ttlJson = etcdctl.run("lease", "timetolive", hex, "--keys", "-w", "json").ok().json();
    assertThat(ttlJson.path("id").asLong()).isEqualTo(id);
    assertThat(ttlJson.path("granted-ttl").asLong()).isEqualTo(60);
    assertThat(ttlJson.path("ttl").asLong()).isBetween(1L, 60L);
    assertThat(ttlJson.path("keys")).extracting(JsonNode::asText).containsExactly(b64("/lease/k"));

    assertThat(etcdctl.run("lease", "keep-alive", "--once", hex).ok().stdout())
        .isEqualTo("lease " + hex + " keepalived with TTL(60)\n");
    JsonNode kept = etcdctl.run("lease", "keep-alive", "--once", hex, "-w", "json").ok().json();
    assertThat(kept.path("ID").asLong()).isEqualTo(id);
    assertThat(kept.path("TTL").asLong()).isEqualTo(60);

    assertThat(etcdctl.run("lease", "revoke", hex).ok().stdout()).isEqualTo("lease " + hex + " revoked\n");
    assertThat(etcdctl.run("get", "/lease/k").ok().stdout()).as("the attached key went with the lease").isEmpty();
    assertThat(etcdctl.run("get", "/lease/free", "--print-value-only").ok().stdout()).isEqualTo("no lease\n");
    assertThat(etcdctl.run("lease", "timetolive", hex).ok().stdout()).isEqualTo("lease " + hex + " already expired\n");
    assertThat(etcdctl.run("lease", "list").ok().lines()).doesNotContain(hex);

    assertThat(etcdctl.run("lease", "revoke", hex).failed().stderr())
        .contains("Error: failed to revoke lease (etcdserver: requested lease not found)");
    assertThat(etcdctl.run("lease", "keep-alive", "--once", hex).failed().stderr())
        .contains("etcdserver: requested lease not found");
  }

  @Test
  void leaseExpiryDeletesAttachedKeys() {
    String granted = etcdctl.run("lease", "grant", "2").ok().stdout();
    String hex = granted.split(" ")[1];
    etcdctl.run("put", "/lease-expiry/k", "v", "--lease=" + hex).ok();
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!etcdctl.run("get", "/lease-expiry/k").ok().stdout().isEmpty()) {
      assertThat(System.nanoTime()).as("the key outlived its 2 s lease").isLessThan(deadline);
      Etcdctl.sleep(250);
    }
    assertThat(etcdctl.run("lease", "timetolive", hex).ok().stdout()).isEqualTo("lease " + hex + " already expired\n");
  }

  /**
   * etcd's lock recipe (clientv3/concurrency) combines a session lease kept alive
   * over a stream, a create-revision txn, a sorted range and a watch for the
   * previous holder's key to be deleted.
   */
  @Test
  void lockIsExclusiveUntilTheHoldersLeaseExpires() {
    try (Etcdctl.Background first = etcdctl.start("lock", "--ttl=2", "/lock/x")) {
      String held = first.awaitStdout(out -> out.contains("\n"), AWAIT, "the lock key");
      assertThat(held).startsWith("/lock/x/");
      try (Etcdctl.Background second = etcdctl.start("lock", "--ttl=2", "/lock/x", "echo", "second holder")) {
        Etcdctl.sleep(1500);
        assertThat(second.stdout()).as("the lock is still held").isEmpty();
        // Killed, the first holder cannot unlock: its session lease has to expire.
        first.close();
        second.awaitStdout(out -> out.equals("second holder\n"), AWAIT, "the second holder's command");
        assertThat(second.awaitExit(AWAIT)).as("it unlocks and exits: " + second.stderr()).isZero();
      }
    }
    assertThat(etcdctl.run("get", "/lock/x/", "--prefix").ok().stdout()).as("both holders are gone").isEmpty();
  }

  // ---------------------------------------------------------------- Cluster and maintenance

  @Test
  void memberList() {
    List<String> expected = cluster.names().stream()
        .sorted(Comparator.comparing(name -> cluster.member(name).node().memberId(), Long::compareUnsigned))
        .map(name -> String.join(", ", Long.toHexString(cluster.member(name).node().memberId()), "started", name,
            "http://" + cluster.member(name).config().peerAddress(), "http://" + cluster.clientEndpoint(name),
            "false"))
        .toList();
    assertThat(etcdctl.run("member", "list").ok().lines()).as("etcd lists members by ID").isEqualTo(expected);

    JsonNode json = etcdctl.run("member", "list", "-w", "json").ok().json();
    assertThat(u64(json.path("header").path("cluster_id"))).isEqualTo(cluster.member("s1").node().clusterId());
    List<String> names = new ArrayList<>();
    for (JsonNode member : json.path("members")) {
      String name = member.path("name").asText();
      names.add(name);
      assertThat(u64(member.path("ID"))).as(name).isEqualTo(cluster.member(name).node().memberId());
      assertThat(member.path("peerURLs")).extracting(JsonNode::asText)
          .containsExactly("http://" + cluster.member(name).config().peerAddress());
      assertThat(member.path("clientURLs")).extracting(JsonNode::asText)
          .containsExactly("http://" + cluster.clientEndpoint(name));
      assertThat(member.path("isLearner").asBoolean(false)).isFalse();
    }
    assertThat(names).containsExactlyInAnyOrder("s1", "s2", "s3");
  }

  @Test
  void endpointStatus() {
    JsonNode statuses = settledStatus();
    assertThat(statuses).hasSize(3);
    Map<String, Long> idByEndpoint = cluster.names().stream()
        .collect(Collectors.toMap(cluster::clientEndpoint, name -> cluster.member(name).node().memberId()));
    Set<Long> leaders = new HashSet<>();
    int leaderCount = 0;
    for (JsonNode entry : statuses) {
      String endpoint = entry.path("Endpoint").asText();
      JsonNode status = entry.path("Status");
      assertThat(idByEndpoint).containsKey(endpoint);
      long memberId = u64(status.path("header").path("member_id"));
      assertThat(memberId).as(endpoint).isEqualTo(idByEndpoint.get(endpoint));
      long leader = u64(status.path("leader"));
      leaders.add(leader);
      if (leader == memberId) {
        leaderCount++;
      }
      assertThat(status.path("raftTerm").asLong()).as("raft term").isPositive();
      assertThat(status.path("header").path("raft_term").asLong()).isPositive();
      assertThat(status.path("version").asText()).isEqualTo(MaintenanceService.VERSION);
      assertThat(status.path("raftIndex").asLong()).isPositive();
      assertThat(status.path("raftAppliedIndex").asLong()).isPositive();
      assertThat(status.path("dbSize").asLong()).isPositive();
      assertThat(status.path("isLearner").asBoolean(false)).isFalse();
      assertThat(status.path("errors").size()).isZero();
    }
    assertThat(leaders).as("every member names the same leader").hasSize(1);
    assertThat(idByEndpoint.values()).contains(leaders.iterator().next());
    assertThat(leaderCount).as("exactly one member is the leader").isEqualTo(1);

    // Simple output: "endpoint, id, version, db size, is leader, is learner, term, index, applied index, errors".
    settledStatus();
    List<String> lines = etcdctl.run("endpoint", "status").ok().lines();
    assertThat(lines).hasSize(3);
    long leaderLines = 0;
    for (String line : lines) {
      String[] columns = line.split(", ", -1);
      assertThat(columns).as(line).hasSize(10);
      assertThat(Long.parseUnsignedLong(columns[1], 16)).isEqualTo(idByEndpoint.get(columns[0]));
      assertThat(columns[2]).isEqualTo(MaintenanceService.VERSION);
      assertThat(columns[5]).isEqualTo("false");
      if (columns[4].equals("true")) {
        leaderLines++;
      }
    }
    assertThat(leaderLines).isEqualTo(1);

    // --cluster finds the endpoints through MemberList's client URLs.
    List<String> clusterWide = etcdctl.withEndpoints(cluster.clientEndpoint("s2"))
        .run("endpoint", "status", "--cluster").ok().lines();
    assertThat(clusterWide).extracting(line -> line.split(", ")[0]).containsExactlyInAnyOrderElementsOf(
        cluster.names().stream().map(name -> "http://" + cluster.clientEndpoint(name)).toList());
  }

  @Test
  void alarmsAndDefragment() {
    Etcdctl.Result alarms = etcdctl.run("alarm", "list").ok();
    assertThat(alarms.stdout()).as("no alarm is raised").isEmpty();
    assertThat(etcdctl.run("defrag").ok().lines()).containsExactlyInAnyOrderElementsOf(cluster.names().stream()
        .map(name -> "Finished defragmenting etcd member[" + cluster.clientEndpoint(name) + "]").toList());
  }

  /**
   * {@code endpoint status -w json} once every member names the same leader: on a
   * busy machine an election may be under way, and then members disagree, in etcd too.
   */
  private JsonNode settledStatus() {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (true) {
      JsonNode statuses = etcdctl.run("endpoint", "status", "-w", "json").ok().json();
      Set<Long> leaders = new HashSet<>();
      statuses.forEach(entry -> leaders.add(u64(entry.path("Status").path("leader"))));
      if (statuses.size() == 3 && leaders.size() == 1 && !leaders.contains(0L)) {
        return statuses;
      }
      assertThat(System.nanoTime()).as("members never agreed on a leader: " + statuses).isLessThan(deadline);
      Etcdctl.sleep(200);
    }
  }

  @Test
  void snapshotSave(@TempDir Path out) throws Exception {
    Etcdctl s1 = etcdctl.withEndpoints(cluster.clientEndpoint("s1"));
    long revision = put("/snapshot/k", "v");
    // A linearizable read through s1 makes sure it has applied the put before it is snapshotted.
    assertThat(s1.run("get", "/snapshot/k", "--print-value-only").ok().stdout()).isEqualTo("v\n");

    Path file = out.resolve("backup.db");
    // etcdctl takes a snapshot from exactly one endpoint.
    assertThat(s1.run("snapshot", "save", file.toString()).ok().stdout()).isEqualTo("Snapshot saved at " + file + "\n");
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes.length % 512).as("whole 512-byte blocks, then a SHA-256 of them").isEqualTo(32);
    byte[] body = Arrays.copyOf(bytes, bytes.length - 32);
    assertThat(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(body));
    SnapshotHeader header = SnapshotHeader.parseDelimitedFrom(new ByteArrayInputStream(body));
    assertThat(header.getRevision()).as("Berth's snapshot of s1").isGreaterThanOrEqualTo(revision);
    assertThat(header.getRecordCount()).isPositive();
  }

  /** Runs late: it hands leadership to another member. */
  @Test
  @Order(Integer.MAX_VALUE - 1)
  void moveLeader() {
    String from = cluster.awaitLeader(AWAIT);
    String to = cluster.names().stream().filter(name -> !name.equals(from)).findFirst().orElseThrow();
    String toHex = Long.toHexString(cluster.member(to).node().memberId());
    String moved = etcdctl.run("move-leader", toHex).ok().stdout();
    assertThat(moved).isEqualTo("Leadership transferred from "
        + Long.toHexString(cluster.member(from).node().memberId()) + " to " + toHex + "\n");
    JsonNode statuses = settledStatus();
    for (JsonNode entry : statuses) {
      assertThat(u64(entry.path("Status").path("leader"))).as(entry.toString())
          .isEqualTo(cluster.member(to).node().memberId());
    }
    assertThat(cluster.leaderName()).isEqualTo(to);
  }

  @Test
  void endpointHealth() {
    // etcdctl 3.4 prints the simple form on stderr.
    Etcdctl.Result simple = etcdctl.run("endpoint", "health").ok();
    for (String name : cluster.names()) {
      assertThat(simple.stderr()).containsPattern(
          Pattern.quote(cluster.clientEndpoint(name)) + " is healthy: successfully committed proposal: took = ");
    }
    JsonNode health = etcdctl.run("endpoint", "health", "-w", "json").ok().json();
    assertThat(health).hasSize(3);
    for (JsonNode entry : health) {
      assertThat(entry.path("health").asBoolean()).as(entry.toString()).isTrue();
    }
    assertThat(health).extracting(e -> e.path("endpoint").asText())
        .containsExactlyInAnyOrderElementsOf(cluster.names().stream().map(cluster::clientEndpoint).toList());
  }

  @Test
  void compaction() {
    long r1 = put("/compact/k", "v1");
    long r2 = put("/compact/k", "v2");
    put("/compact/k", "v3");

    assertThat(etcdctl.run("compaction", Long.toString(r2)).ok().stdout()).isEqualTo("compacted revision " + r2 + "\n");
    assertThat(etcdctl.run("get", "/compact/k", "--rev=" + r1).failed().stderr())
        .contains("Error: etcdserver: mvcc: required revision has been compacted");
    assertThat(etcdctl.run("get", "/compact/k", "--rev=" + r2, "--print-value-only").ok().stdout())
        .as("the compaction revision itself stays readable").isEqualTo("v2\n");
    assertThat(etcdctl.run("get", "/compact/k", "--print-value-only").ok().stdout()).isEqualTo("v3\n");
    assertThat(etcdctl.run("compaction", Long.toString(r2)).failed().stderr())
        .contains("Error: etcdserver: mvcc: required revision has been compacted");
    assertThat(etcdctl.run("compaction", Long.toString(revisionNow() + 1000)).failed().stderr())
        .contains("Error: etcdserver: mvcc: required revision is a future revision");

    // A watch from a compacted revision is created, then canceled with the reason.
    Etcdctl.Result watch = etcdctl.run("watch", "/compact/k", "--rev=" + r1).failed();
    assertThat(watch.stderr()).contains("watch was canceled (etcdserver: mvcc: required revision has been compacted)");
    assertThat(watch.stdout()).isEmpty();
  }

  @Test
  void errorsCarryEtcdsMessages() {
    assertThat(etcdctl.run("get", "").failed().stderr()).contains("Error: etcdserver: key is not provided");
    assertThat(etcdctl.run("put", "/err/k", "v", "--lease=123abc").failed().stderr())
        .contains("Error: etcdserver: requested lease not found");
    assertThat(etcdctl.run("get", "/err/k").ok().stdout()).isEmpty();
    assertThat(etcdctl.run("get", "/err/k", "--rev=" + (revisionNow() + 100)).failed().stderr())
        .contains("Error: etcdserver: mvcc: required revision is a future revision");
    // Over etcd's default --max-request-bytes (1.5 MiB), under gRPC's limit: etcd's own refusal.
    assertThat(etcdctl.runWithInput("x".repeat(1_600_000), "put", "/err/big").failed().stderr())
        .contains("Error: etcdserver: request is too large");
    assertThat(etcdctl.run("get", "/err/big").ok().stdout()).isEmpty();
  }

  @Test
  void everyMemberServesAlone() {
    List<String> names = cluster.names();
    for (int i = 0; i < names.size(); i++) {
      Etcdctl writer = etcdctl.withEndpoints(cluster.clientEndpoint(names.get(i)));
      Etcdctl reader = etcdctl.withEndpoints(cluster.clientEndpoint(names.get((i + 1) % names.size())));
      String key = "/single/" + names.get(i);
      assertThat(writer.run("put", key, "written via " + names.get(i)).ok().stdout()).isEqualTo("OK\n");
      assertThat(reader.run("get", key, "--print-value-only").ok().stdout())
          .as("a linearizable read through another member sees the write")
          .isEqualTo("written via " + names.get(i) + "\n");
      assertThat(reader.run("get", key, "--consistency=s").ok().exitCode()).isZero();
    }
  }

  /** Runs last: stops a follower, then brings it back. */
  @Test
  @Order(Integer.MAX_VALUE)
  void oneMemberDown() {
    String down = cluster.followerName();
    String downEndpoint = cluster.clientEndpoint(down);
    cluster.stopMember(down);
    try {
      assertThat(etcdctl.run("put", "/down/k", "v").ok().stdout()).isEqualTo("OK\n");
      assertThat(etcdctl.run("get", "/down/k", "--print-value-only").ok().stdout()).isEqualTo("v\n");

      Etcdctl.Result health = etcdctl.run("endpoint", "health", "-w", "json", "--command-timeout=3s").failed();
      assertThat(health.stderr()).contains("unhealthy cluster");
      for (JsonNode entry : health.json()) {
        boolean isDown = entry.path("endpoint").asText().equals(downEndpoint);
        assertThat(entry.path("health").asBoolean()).as(entry.toString()).isEqualTo(!isDown);
      }
    } finally {
      cluster.startMember(down);
    }
    Etcdctl alone = etcdctl.withEndpoints(downEndpoint);
    long deadline = System.nanoTime() + AWAIT.toNanos();
    Etcdctl.Result read;
    while ((read = alone.run("get", "/down/k", "--print-value-only")).exitCode() != 0) {
      assertThat(System.nanoTime()).as("the restarted member never served: " + read).isLessThan(deadline);
      Etcdctl.sleep(250);
    }
    assertThat(read.stdout()).as("the restarted member caught up").isEqualTo("v\n");
    JsonNode health = etcdctl.run("endpoint", "health", "-w", "json").ok().json();
    assertThat(health).allSatisfy(entry -> assertThat(entry.path("health").asBoolean()).isTrue());
  }

  // ---------------------------------------------------------------- helpers

  /** Puts through etcdctl and returns the revision it created. */
  private long put(String key, String value) {
    return etcdctl.run("put", key, value, "-w", "json").ok().json().path("header").path("revision").asLong();
  }

  private long revisionNow() {
    return etcdctl.run("get", "/revision-probe", "-w", "json").ok().json().path("header").path("revision").asLong();
  }

  private Set<Long> memberIds() {
    return cluster.names().stream().map(name -> cluster.member(name).node().memberId()).collect(Collectors.toSet());
  }

  private static List<String> keys(JsonNode range) {
    List<String> keys = new ArrayList<>();
    range.path("kvs").forEach(kv -> keys.add(unb64(kv.path("key").asText())));
    return keys;
  }

  /** etcd's uint64 fields (IDs) as Java's signed long with the same bits. */
  private static long u64(JsonNode node) {
    assertThat(node.isIntegralNumber()).as("an integer: " + node).isTrue();
    return node.bigIntegerValue().longValue();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }

  private static JsonNode parse(String line) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
