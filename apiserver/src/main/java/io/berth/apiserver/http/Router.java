package io.berth.apiserver.http;

import io.berth.apiserver.access.AccessReviews;
import io.berth.apiserver.access.Authenticator;
import io.berth.apiserver.access.Authorizer;
import io.berth.apiserver.access.NodeRestriction;
import io.berth.apiserver.access.RequestAdmission;
import io.berth.apiserver.access.RequestAttributes;
import io.berth.apiserver.access.SelfSubjectReview;
import io.berth.apiserver.access.UserInfo;
import io.berth.apiserver.audit.AuditEvent;
import io.berth.apiserver.audit.AuditSink;
import io.berth.apiserver.dashboard.Dashboard;
import io.berth.apiserver.dashboard.MemberStatuses;
import io.berth.apiserver.discovery.Discovery;
import io.berth.apiserver.openapi.OpenApiV3;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.ResourceHandler;
import io.berth.apiserver.rest.ResourcePath;
import io.berth.apiserver.rest.Statuses;
import io.berth.apiserver.rest.Verbs;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The request path, stage by stage, as kube-apiserver's filter chain runs it: health
 * and the dashboard's page (answered to anyone), authentication, the max-in-flight limit (watches are not
 * counted), authorization, then discovery and OpenAPI documents or a resource
 * handler; everything else is a 404 Status. Always completes normally: every
 * refusal, wherever it happened, becomes a Kubernetes Status here, and is counted;
 * every mutating request, allowed or not, is audited.
 */
public final class Router {
  private final Discovery discovery;
  private final OpenApiV3 openApi;
  private final ResourceHandler resources;
  private final Authenticator authenticator;
  private final Authorizer authorizer;
  private final InFlightLimiter limiter;
  private final ApiMetrics metrics;
  private final io.berth.apiserver.access.ServiceAccountTokens tokens;
  private final AccessReviews reviews;
  private final AuditSink audit;
  private final RequestAdmission admission;
  private final Dashboard dashboard;
  private final HealthChecks health;

  /** A router that lets everyone do everything, with kube-apiserver's default limits and no metrics registry. */
  public Router(Discovery discovery, OpenApiV3 openApi, ResourceHandler resources) {
    this(discovery, openApi, resources, Authenticator.everyoneIsAdmin(), Authorizer.allowAll(),
        new InFlightLimiter(InFlightLimiter.DEFAULT_READS, InFlightLimiter.DEFAULT_MUTATIONS),
        new PrometheusRegistry(), () -> 0);
  }

  Router(Discovery discovery, OpenApiV3 openApi, ResourceHandler resources, Authenticator authenticator,
      Authorizer authorizer, InFlightLimiter limiter, PrometheusRegistry registry, IntSupplier watchers) {
    this(discovery, openApi, resources, authenticator, authorizer, limiter, registry, watchers, null,
        AuditSink.none(), NodeRestriction::admit, new Dashboard(MemberStatuses.unknown()), HealthChecks.alwaysOk());
  }

  /**
   * @param tokens service-account tokens TokenRequest mints (null: none)
   * @param audit receives one event per mutating request, whatever its answer
   * @param admission checks an authorized resource request with its body (node restriction, RBAC escalation)
   * @param dashboard the web dashboard at /ui
   * @param health what /livez, /readyz and /healthz answer
   */
  Router(Discovery discovery, OpenApiV3 openApi, ResourceHandler resources, Authenticator authenticator,
      Authorizer authorizer, InFlightLimiter limiter, PrometheusRegistry registry, IntSupplier watchers,
      io.berth.apiserver.access.ServiceAccountTokens tokens, AuditSink audit, RequestAdmission admission,
      Dashboard dashboard, HealthChecks health) {
    this.dashboard = dashboard;
    this.health = health;
    this.tokens = tokens;
    this.audit = audit;
    this.admission = admission;
    this.discovery = discovery;
    this.openApi = openApi;
    this.resources = resources;
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.limiter = limiter;
    this.metrics = new ApiMetrics(registry, limiter, watchers);
    this.reviews = new AccessReviews(authorizer);
  }

  public CompletableFuture<ApiResponse> route(ApiRequest request) {
    long start = System.nanoTime();
    Instant received = Instant.now();
    AtomicReference<UserInfo> authenticated = new AtomicReference<>();
    ResourcePath resource = ResourcePath.parse(request.path()).orElse(null);
    String verb = resource == null ? request.method().toLowerCase(Locale.ROOT)
        : Objects.requireNonNullElse(Verbs.of(request.method(), resource, request.query()), "unknown");
    String resourceLabel = resource == null ? "" : resource.plural();
    CompletableFuture<ApiResponse> answer;
    try {
      answer = admitted(request, resource, verb, authenticated::set).exceptionally(Router::errorResponse);
    } catch (RuntimeException e) {
      answer = CompletableFuture.completedFuture(errorResponse(e));
    }
    return answer.whenComplete((response, e) -> {
      int code = response == null ? 500 : response.code();
      metrics.observe(verb, resourceLabel, code, start);
      if (Verbs.isMutating(request.method())) {
        audit.record(auditEvent(request, resource, verb, authenticated.get(), code, received));
      }
    });
  }

  /** The audit event of a finished request; its id is the client's Audit-ID header when it sent one. */
  private static AuditEvent auditEvent(ApiRequest request, ResourcePath resource, String verb, UserInfo user,
      int code, Instant received) {
    String id = request.header("Audit-ID");
    if (id == null || id.isBlank() || id.length() > 128) {
      id = UUID.randomUUID().toString();
    }
    StringBuilder uri = new StringBuilder(request.path());
    String separator = "?";
    for (Map.Entry<String, java.util.List<String>> parameter : new java.util.TreeMap<>(request.query()).entrySet()) {
      for (String value : parameter.getValue()) {
        uri.append(separator).append(parameter.getKey()).append('=').append(value);
        separator = "&";
      }
    }
    return resource == null
        ? new AuditEvent(id, uri.toString(), verb, user, request.header("User-Agent"), null, null, null, null, null,
            null, code, received, Instant.now())
        : new AuditEvent(id, uri.toString(), verb, user, request.header("User-Agent"), resource.group(),
            resource.version(), resource.plural(), resource.subresource(), resource.namespace(), resource.name(),
            code, received, Instant.now());
  }

  /** Authentication and the in-flight limit, then the request itself. */
  private CompletableFuture<ApiResponse> admitted(ApiRequest request, ResourcePath resource, String verb,
      Consumer<UserInfo> authenticated) {
    if (HealthChecks.isHealthCheck(request.path())) {
      return CompletableFuture.completedFuture(health.answer(request.path()));
    }
    Optional<ApiResponse> page = dashboard.asset(request.method(), request.path());
    if (page.isPresent()) {
      return CompletableFuture.completedFuture(page.get());
    }
    UserInfo user = authenticator.authenticate(request);
    authenticated.accept(user);
    boolean longRunning = resource != null && Verbs.isLongRunning(resource, request.query());
    if (longRunning) {
      return dispatch(request, resource, verb, user);
    }
    boolean mutating = Verbs.isMutating(request.method());
    if (!limiter.tryAcquire(mutating)) {
      return CompletableFuture.completedFuture(tooManyRequests());
    }
    try {
      return dispatch(request, resource, verb, user).whenComplete((r, e) -> limiter.release(mutating));
    } catch (RuntimeException e) {
      limiter.release(mutating);
      throw e;
    }
  }

  private CompletableFuture<ApiResponse> dispatch(ApiRequest request, ResourcePath resource, String verb,
      UserInfo user) {
    if (resource == null) {
      // Discovery, OpenAPI and unknown paths: authorized by path, as RBAC's nonResourceURLs name them.
      authorize(RequestAttributes.nonResource(user, verb, request.path()));
      if (dashboard.isMembersRequest(request.method(), request.path())) {
        return dashboard.members();
      }
      if (request.method().equals("GET")) {
        Optional<ApiResponse> document = discovery.answer(request.path(), request.accept())
            .or(() -> openApi.answer(request.path(), request.query()));
        if (document.isPresent()) {
          return CompletableFuture.completedFuture(document.get());
        }
      }
      throw Statuses.pathNotFound();
    }
    RequestAttributes attributes = new RequestAttributes(user, verb, resource.group(), resource.plural(),
        resource.subresource(), resource.namespace(), resource.name());
    authorize(attributes);
    admission.admit(attributes, request);
    if (reviews.answers(resource)) {
      return CompletableFuture.completedFuture(reviews.answer(request, resource, verb, user));
    }
    if (SelfSubjectReview.isFor(resource)) {
      return CompletableFuture.completedFuture(SelfSubjectReview.answer(request.method(), resource, user)
          .orElseThrow(Statuses::pathNotFound));
    }
    if (io.berth.apiserver.access.TokenRequests.isFor(resource)) {
      return CompletableFuture.completedFuture(io.berth.apiserver.access.TokenRequests.answer(request.method(),
          resource, request.contentType(), request.body(), tokens));
    }
    return resources.handle(request, resource);
  }

  private void authorize(RequestAttributes attributes) {
    Authorizer.Decision decision = authorizer.authorize(attributes);
    if (!decision.allowed()) {
      throw Statuses.forbidden(attributes, decision.reason());
    }
  }

  /** 429 with Retry-After, as kube-apiserver's max-in-flight filter answers. */
  private static ApiResponse tooManyRequests() {
    ApiException e = new ApiException(429, "TooManyRequests", "Too many requests, please try again later.");
    return new ApiResponse(429, ObjectCodec.encode(Statuses.toStatus(e)), ApiResponse.JSON,
        Map.of("Retry-After", "1"));
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
