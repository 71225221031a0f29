package io.berth.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.apiserver.storage.ObjectStore;
import io.berth.apiserver.storage.StoredObject;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pods/exec for non-interactive commands, as kubectl 1.30+ asks for it: a WebSocket upgrade
 * with Kubernetes' channel subprotocols (v5/v4.channel.k8s.io). The command runs through the
 * agent of the pod's node ({@code POST /exec/<ns>/<pod>/<container>} on its port), and its
 * stdout, stderr and exit status go back as channel 1, 2 and 3 frames, then the stream closes.
 * Stdin and TTYs are not supported (the request is refused with a message saying so).
 *
 * <p>It sits in front of the aggregator: every other request passes through untouched.
 */
final class PodExecHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(PodExecHandler.class);
  private static final Pattern EXEC = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/exec$");
  private static final String SUBPROTOCOLS = "v5.channel.k8s.io,v4.channel.k8s.io";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ObjectStore store;
  private final io.berth.apiserver.rest.AgentConnections agents;
  private boolean swallowing;
  private boolean upgraded;

  PodExecHandler(ObjectStore store, io.berth.apiserver.rest.AgentConnections agents) {
    this.store = store;
    this.agents = agents;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (upgraded) {
      // Frames from the client (stdin, resize, close): nothing to do with them but let go.
      if (msg instanceof CloseWebSocketFrame) {
        ctx.close();
      }
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request && !swallowing) {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      Matcher m = EXEC.matcher(uri.path());
      if (m.matches()) {
        swallowing = !(msg instanceof LastHttpContent);
        try {
          exec(ctx, request, uri, m.group(1), m.group(2));
        } finally {
          ReferenceCountUtil.release(msg);
        }
        return;
      }
    } else if (swallowing && msg instanceof HttpContent content) {
      swallowing = !(content instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private void exec(ChannelHandlerContext ctx, HttpRequest request, QueryStringDecoder uri, String namespace,
      String pod) {
    Map<String, List<String>> query = uri.parameters();
    List<String> command = query.getOrDefault("command", List.of());
    if (!"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
      refuse(ctx, HttpResponseStatus.BAD_REQUEST, "pods/exec is served over WebSocket (v4/v5.channel.k8s.io) only; "
          + "SPDY is not supported");
      return;
    }
    if (command.isEmpty()) {
      refuse(ctx, HttpResponseStatus.BAD_REQUEST, "you must specify at least 1 command");
      return;
    }
    if (flag(query, "stdin") || flag(query, "tty")) {
      refuse(ctx, HttpResponseStatus.BAD_REQUEST, "interactive exec (stdin or tty) is not supported yet; "
          + "run the command without -i and -t");
      return;
    }
    FullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri());
    full.headers().set(request.headers());
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("ws://" + request.headers()
        .get(HttpHeaderNames.HOST) + uri.path(), SUBPROTOCOLS, false, 1 << 20).newHandshaker(full);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      full.release();
      return;
    }
    upgraded = true;
    handshaker.handshake(ctx.channel(), full).addListener(done -> {
      full.release();
      if (!done.isSuccess()) {
        ctx.close();
        return;
      }
      run(namespace, pod, query.getOrDefault("container", List.of()), command).whenComplete((result, error) -> {
        if (error != null) {
          Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause() : error;
          send(ctx, 3, status(false, cause.getMessage(), null));
        } else {
          send(ctx, 1, result.path("stdout").asText("").getBytes(StandardCharsets.UTF_8));
          send(ctx, 2, result.path("stderr").asText("").getBytes(StandardCharsets.UTF_8));
          int code = result.path("exitCode").asInt(-1);
          send(ctx, 3, code == 0 ? status(true, null, null) : status(false, "command terminated with non-zero exit "
              + "code: error executing command " + command + ", exit code " + code, code));
        }
        ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
      });
    });
  }

  /** Finds the pod's node and container and runs the command through its agent. */
  private CompletableFuture<JsonNode> run(String namespace, String podName, List<String> containerParam,
      List<String> command) {
    return store.get("/registry/core/pods/" + namespace + "/" + podName).thenCompose(found -> {
      JsonNode pod = read(found, "pods \"" + podName + "\" not found");
      String node = pod.at("/spec/nodeName").asText("");
      if (node.isEmpty()) {
        throw new IllegalStateException("pod " + podName + " does not have a host assigned");
      }
      JsonNode containers = pod.at("/spec/containers");
      String container = containerParam.isEmpty() || containerParam.get(0).isEmpty()
          ? containers.path(0).path("name").asText() : containerParam.get(0);
      return store.get("/registry/core/nodes/" + node).thenCompose(nodeFound -> {
        JsonNode nodeObject = read(nodeFound, "node \"" + node + "\" is not registered");
        String address = null;
        for (JsonNode a : nodeObject.at("/status/addresses")) {
          if ("InternalIP".equals(a.path("type").asText())) {
            address = a.path("address").asText();
          }
        }
        int port = nodeObject.at("/status/daemonEndpoints/kubeletEndpoint/Port").asInt(0);
        if (address == null || port == 0) {
          throw new IllegalStateException("node " + node + " reports no InternalIP and agent port");
        }
        StringBuilder url = new StringBuilder("/exec/" + namespace + "/" + podName + "/" + container + "?");
        command.forEach(c -> url.append("command=").append(URLEncoder.encode(c, StandardCharsets.UTF_8)).append('&'));
        var post = java.net.http.HttpRequest.newBuilder(agents.uri(address, port, url.toString()))
            .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        return agents.http().sendAsync(post, HttpResponse.BodyHandlers.ofString()).thenApply(answer -> {
          if (answer.statusCode() != 200) {
            throw new IllegalStateException(answer.body().strip());
          }
          try {
            return JSON.readTree(answer.body());
          } catch (java.io.IOException e) {
            throw new IllegalStateException("the agent's exec answer could not be read: " + e.getMessage());
          }
        });
      });
    });
  }

  private static JsonNode read(Optional<StoredObject> found, String missing) {
    try {
      return JSON.readTree(found.orElseThrow(() -> new IllegalStateException(missing)).value());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a stored object could not be read: " + e.getMessage());
    }
  }

  /** The v4/v5 error channel's Status: Success, or Failure with the exit code as kubectl reads it. */
  private static byte[] status(boolean success, String message, Integer exitCode) {
    var status = JSON.createObjectNode();
    status.putObject("metadata");
    status.put("status", success ? "Success" : "Failure");
    if (!success) {
      status.put("message", message);
      if (exitCode != null) {
        status.put("reason", "NonZeroExitCode");
        status.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
            .put("message", exitCode.toString());
      } else {
        status.put("reason", "InternalError");
      }
    }
    return status.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void send(ChannelHandlerContext ctx, int channel, byte[] data) {
    if (data.length == 0 && channel != 3) {
      return;
    }
    byte[] frame = new byte[data.length + 1];
    frame[0] = (byte) channel;
    System.arraycopy(data, 0, frame, 1, data.length);
    WebSocketFrame message = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame));
    ctx.writeAndFlush(message);
  }

  private static boolean flag(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values != null && !values.isEmpty() && (values.get(0).equals("true") || values.get(0).equals("1"));
  }

  private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus code, String message) {
    log.info("pods/exec refused: {}", message);
    var body = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
        .put("message", message).put("reason", "BadRequest").put("code", code.code());
    body.putObject("metadata");
    var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code,
        Unpooled.wrappedBuffer(body.toString().getBytes(StandardCharsets.UTF_8)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    ctx.writeAndFlush(response);
  }
}
