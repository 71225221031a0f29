package io.berth.bench;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.etcd.jetcd.api.WatchGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cluster under test as the load generator sees it: a few gRPC channels to each
 * endpoint, interleaved so that client {@code i} uses channel {@code i % channels} and
 * clients spread evenly over the endpoints.
 *
 * <p>Endpoints are ordered followers first, then the leader, whenever every endpoint
 * answers Maintenance.Status. So the single-client rows always go through a follower on
 * both targets (two placements out of three for a client that does not know the leader)
 * rather than wherever each cluster happened to elect its leader.
 */
final class Target implements AutoCloseable {
  private final String name;
  private final List<String> endpoints;
  private final int leaderIndex;
  private final List<ManagedChannel> channels = new ArrayList<>();

  private Target(String name, List<String> endpoints, int leaderIndex, int channelsPerEndpoint) {
    this.name = name;
    this.endpoints = endpoints;
    this.leaderIndex = leaderIndex;
    for (int round = 0; round < channelsPerEndpoint; round++) {
      for (String endpoint : endpoints) {
        channels.add(channel(endpoint));
      }
    }
  }

  /** Connects to {@code endpointList} (comma-separated host:port), ordering endpoints as above. */
  static Target connect(String name, String endpointList, int channelsPerEndpoint) {
    List<String> given = List.of(endpointList.trim().replaceAll("https?://", "").split("\\s*,\\s*"));
    List<Long> memberIds = new ArrayList<>();
    long leader = 0;
    for (String endpoint : given) {
      StatusResponse status = status(endpoint);
      memberIds.add(status == null ? 0 : status.getHeader().getMemberId());
      leader = status == null ? leader : status.getLeader();
    }
    final long leaderId = leader;
    List<String> ordered = new ArrayList<>(given);
    boolean known = leaderId != 0 && !memberIds.contains(0L) && memberIds.contains(leaderId);
    if (known) {
      ordered.sort(Comparator.comparing(e -> memberIds.get(given.indexOf(e)) == leaderId));
    }
    return new Target(name, List.copyOf(ordered), known ? ordered.size() - 1 : -1, channelsPerEndpoint);
  }

  String name() {
    return name;
  }

  List<String> endpoints() {
    return endpoints;
  }

  /** A description of where clients connect, for the report's notes. */
  String placement() {
    String leader = leaderIndex < 0 ? "leader unknown" : "leader " + endpoints.get(leaderIndex);
    return name + ": endpoints " + String.join(",", endpoints) + " (" + leader + "), "
        + channels.size() + " channels";
  }

  int channelCount() {
    return channels.size();
  }

  ManagedChannel channel(int client) {
    return channels.get(client % channels.size());
  }

  /** The first channel to the endpoint at {@code index} in the (reordered) endpoint list. */
  ManagedChannel endpointChannel(int index) {
    return channels.get(index);
  }

  KVGrpc.KVStub kv(int client) {
    return KVGrpc.newStub(channel(client));
  }

  KVGrpc.KVBlockingStub kvBlocking(int client) {
    return KVGrpc.newBlockingStub(channel(client)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  WatchGrpc.WatchStub watch(int endpointIndex) {
    return WatchGrpc.newStub(endpointChannel(endpointIndex));
  }

  private static ManagedChannel channel(String endpoint) {
    // Callbacks only record a sample and start the next call, so they run on the
    // transport threads: no executor hop, the same for both targets.
    return NettyChannelBuilder.forTarget(endpoint)
        .usePlaintext()
        .directExecutor()
        .maxInboundMessageSize(16 * 1024 * 1024)
        .build();
  }

  private static StatusResponse status(String endpoint) {
    ManagedChannel ch = channel(endpoint);
    try {
      return MaintenanceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance());
    } catch (RuntimeException e) {
      return null;
    } finally {
      ch.shutdownNow();
    }
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdown);
    try {
      for (ManagedChannel ch : channels) {
        if (!ch.awaitTermination(5, TimeUnit.SECONDS)) {
          ch.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      channels.forEach(ManagedChannel::shutdownNow);
      Thread.currentThread().interrupt();
    }
  }
}
