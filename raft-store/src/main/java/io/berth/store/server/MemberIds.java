package io.berth.store.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Identities: a founding member's 64-bit ID, derived from its peer address (so every founder,
 * started from the same --peers, arrives at the same IDs for all of them), and the cluster's,
 * from its token. A member added later gets a fresh ID from MemberAdd instead
 * ({@link Membership#add}), never one derived from its address. A member's Ratis peer id is its
 * ID in hex, as etcdctl prints it.
 */
public final class MemberIds {
  private MemberIds() {}

  /** The ID of the founding member at {@code peerAddress}. */
  public static long memberId(String peerAddress) {
    return firstLong(sha256("berth-member:" + peerAddress));
  }

  public static RaftPeerId peerId(long memberId) {
    return RaftPeerId.valueOf(Long.toHexString(memberId));
  }

  public static long memberId(RaftPeerId peerId) {
    return Long.parseUnsignedLong(peerId.toString(), 16);
  }

  public static RaftGroupId groupId(String clusterToken) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("berth-cluster:" + clusterToken).getBytes(StandardCharsets.UTF_8)));
  }

  public static long clusterId(String clusterToken) {
    return groupId(clusterToken).getUuid().getMostSignificantBits();
  }

  /** "http://host:port" or "host:port" to "host:port". */
  public static String hostPort(String url) {
    String s = url.trim();
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    int slash = s.indexOf('/');
    return slash >= 0 ? s.substring(0, slash) : s;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long firstLong(byte[] bytes) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[i] & 0xff);
    }
    return v;
  }
}
