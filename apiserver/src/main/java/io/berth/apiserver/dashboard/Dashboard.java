package io.berth.apiserver.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.apiserver.rest.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The read-only web dashboard every API replica serves at {@code /ui}.
 *
 * <p>The page itself (HTML, script, style) holds no cluster data and is answered to anyone,
 * like {@code /healthz}. Everything it shows it reads with the viewer's own credentials:
 * Kubernetes objects through the ordinary API, listed then watched, so RBAC decides what a
 * viewer sees; and the store members' Raft status from {@value #MEMBERS_PATH}, which is not
 * a Kubernetes resource and is authorized as a non-resource URL ({@code get}), as
 * {@code /metrics} is in kube-apiserver.
 */
public final class Dashboard {
  public static final String MEMBERS_PATH = "/ui/api/members";
  private static final String RESOURCES = "/io/berth/apiserver/dashboard/";
  private static final Map<String, Asset> ASSETS = Map.of(
      "/ui/", new Asset("index.html", "text/html; charset=utf-8"),
      "/ui/app.js", new Asset("app.js", "text/javascript; charset=utf-8"),
      "/ui/style.css", new Asset("style.css", "text/css; charset=utf-8"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MemberStatuses members;

  public Dashboard(MemberStatuses members) {
    this.members = members;
  }

  /** The page's own files (and {@code /ui}, which redirects to {@code /ui/}), answered without credentials. */
  public Optional<ApiResponse> asset(String method, String path) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return Optional.empty();
    }
    if (path.equals("/ui")) {
      return Optional.of(new ApiResponse(301, new byte[0], "text/plain", Map.of("Location", "/ui/")));
    }
    Asset asset = ASSETS.get(path);
    if (asset == null) {
      return Optional.empty();
    }
    // no-cache: a replica upgraded in a rolling restart serves its own page on the next load.
    return Optional.of(new ApiResponse(200, asset.bytes(), asset.contentType, Map.of("Cache-Control", "no-cache")));
  }

  public boolean isMembersRequest(String method, String path) {
    return method.equals("GET") && path.equals(MEMBERS_PATH);
  }

  /** The members' statuses as JSON: {@code {"members":[{name,id,clientURL,leader,...}]}}. */
  public CompletableFuture<ApiResponse> members() {
    return members.read().thenApply(statuses -> new ApiResponse(200, encode(statuses)));
  }

  private static byte[] encode(List<MemberStatuses.MemberStatus> statuses) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("members");
    for (MemberStatuses.MemberStatus s : statuses) {
      ObjectNode member = list.addObject();
      member.put("name", s.name());
      // Hex, as etcdctl prints member IDs, and because a uint64 does not fit a JavaScript number.
      member.put("id", Long.toHexString(s.id()));
      member.put("clientURL", s.clientUrl());
      if (s.error() != null) {
        member.put("error", s.error());
        continue;
      }
      member.put("leader", s.leaderId() == 0 ? "" : Long.toHexString(s.leaderId()));
      member.put("isLeader", s.leaderId() != 0 && s.leaderId() == s.id());
      member.put("term", s.term());
      member.put("raftIndex", s.raftIndex());
      member.put("appliedIndex", s.appliedIndex());
      member.put("dbSize", s.dbSize());
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Asset(String file, String contentType) {
    byte[] bytes() {
      try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCES + file)) {
        if (in == null) {
          throw new IllegalStateException("the dashboard's " + file + " is missing from the jar");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
