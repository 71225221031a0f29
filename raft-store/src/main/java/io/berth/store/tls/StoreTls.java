package io.berth.store.tls;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * The store's TLS, named as etcd names its flags: a certificate and key (PEM, PKCS#8),
 * used both to serve and to dial, and the CA the other side's certificate must chain to.
 * It secures the etcd gRPC client port (a client certificate is required there) and the
 * Raft peer traffic (Ratis' own gRPC TLS, mutual: every replica presents its certificate).
 */
public record StoreTls(Path certFile, Path keyFile, Path caFile) {
  public StoreTls {
    if (certFile == null || keyFile == null || caFile == null) {
      throw new IllegalArgumentException("store TLS needs a certificate, its key and a CA file");
    }
  }

  /** The etcd API's server context: this certificate, and clients must present one from the CA. */
  public SslContext serverContext() throws IOException {
    return GrpcSslContexts.forServer(certFile.toFile(), keyFile.toFile())
        .trustManager(caFile.toFile())
        .clientAuth(ClientAuth.REQUIRE)
        .build();
  }

  /** Ratis' parameters for TLS on peer and Raft-client traffic, mutual. */
  public Parameters ratisParameters() {
    GrpcTlsConfig config = new GrpcTlsConfig(keyFile.toFile(), certFile.toFile(), caFile.toFile(), true);
    Parameters parameters = new Parameters();
    GrpcConfigKeys.TLS.setConf(parameters, config);
    GrpcConfigKeys.Server.setTlsConf(parameters, config);
    GrpcConfigKeys.Client.setTlsConf(parameters, config);
    GrpcConfigKeys.Admin.setTlsConf(parameters, config);
    return parameters;
  }

  /** A channel to an etcd endpoint ({@code host:port}): TLS with this certificate when {@code tls} is given. */
  public static ManagedChannel channel(String target, StoreTls tls) {
    return channelBuilder(target, tls).build();
  }

  /** As {@link #channel}, for a caller that sets more options before building. */
  public static NettyChannelBuilder channelBuilder(String target, StoreTls tls) {
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target);
    if (tls == null) {
      return builder.usePlaintext();
    }
    try {
      return builder.sslContext(GrpcSslContexts.forClient()
          .keyManager(tls.certFile.toFile(), tls.keyFile.toFile())
          .trustManager(tls.caFile.toFile())
          .build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use " + tls.certFile + " for the store: " + e.getMessage(), e);
    }
  }
}
