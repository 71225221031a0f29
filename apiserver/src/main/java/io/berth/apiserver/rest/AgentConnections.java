package io.berth.apiserver.rest;

import io.berth.client.tls.TlsFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * How the API server reaches agents for pods/log and pods/exec, as kube-apiserver reaches
 * kubelets: plain HTTP, or HTTPS presenting the server's own certificate and checking the
 * agent's against the cluster CA.
 */
public record AgentConnections(HttpClient http, String scheme) {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final AgentConnections PLAINTEXT =
      new AgentConnections(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build(), "http");

  public static AgentConnections plaintext() {
    return PLAINTEXT;
  }

  /** HTTPS with {@code files}: this server's certificate and key, and the CA agents' certificates chain to. */
  public static AgentConnections tls(TlsFiles files) throws IOException {
    return new AgentConnections(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .sslContext(files.sslContext()).build(), "https");
  }

  /** The URL of {@code pathAndQuery} on the agent at {@code address}:{@code port}. */
  public URI uri(String address, int port, String pathAndQuery) {
    return URI.create(scheme + "://" + address + ":" + port + pathAndQuery);
  }
}
