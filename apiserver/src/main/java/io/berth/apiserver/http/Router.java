package io.berth.apiserver.http;

import io.berth.apiserver.discovery.Discovery;
import io.berth.apiserver.openapi.OpenApiV3;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.ResourceHandler;
import io.berth.apiserver.rest.ResourcePath;
import io.berth.apiserver.rest.Statuses;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Decides who answers a request: discovery documents, OpenAPI documents, health, or a resource
 * handler; everything else is a 404 Status. Always completes normally: every
 * refusal, wherever it happened, becomes a Kubernetes Status here.
 */
public final class Router {
  private final Discovery discovery;
  private final OpenApiV3 openApi;
  private final ResourceHandler resources;

  public Router(Discovery discovery, OpenApiV3 openApi, ResourceHandler resources) {
    this.discovery = discovery;
    this.openApi = openApi;
    this.resources = resources;
  }

  public CompletableFuture<ApiResponse> route(ApiRequest request) {
    try {
      return dispatch(request).exceptionally(Router::errorResponse);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(errorResponse(e));
    }
  }

  private CompletableFuture<ApiResponse> dispatch(ApiRequest request) {
    String path = request.path();
    if (path.equals("/healthz") || path.equals("/readyz") || path.equals("/livez")) {
      return CompletableFuture.completedFuture(new ApiResponse(200, "ok".getBytes(StandardCharsets.UTF_8)));
    }
    if (request.method().equals("GET")) {
      Optional<ApiResponse> document = discovery.answer(path, request.accept())
          .or(() -> openApi.answer(path, request.query()));
      if (document.isPresent()) {
        return CompletableFuture.completedFuture(document.get());
      }
    }
    ResourcePath resource = ResourcePath.parse(path).orElseThrow(Statuses::pathNotFound);
    return resources.handle(request, resource);
  }

  static ApiResponse errorResponse(Throwable e) {
    Throwable cause = e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    ApiException api = cause instanceof ApiException a ? a : Statuses.internal(String.valueOf(cause));
    return new ApiResponse(api.code(), ObjectCodec.encode(Statuses.toStatus(api)));
  }
}
