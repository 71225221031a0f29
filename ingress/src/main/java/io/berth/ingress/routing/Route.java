package io.berth.ingress.routing;

/**
 * What a request matched: the Ingress and the rule (host and path patterns, for metrics and
 * logs), the backend to send it to, and the Ingress's proxy settings.
 *
 * @param ingress {@code namespace/name} of the Ingress the rule belongs to
 * @param host    the rule's host pattern ({@code *.example.com}), or {@code *} for a rule without host
 * @param path    the rule's path, or {@code default} for a defaultBackend
 */
public record Route(String ingress, String host, String path, Backend backend, BackendPolicy policy) {}
