package io.berth.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.apiserver.patch.Shape.Struct;
import java.time.Clock;

/**
 * One PATCH to apply, everything {@link Patches#apply} needs and nothing of HTTP.
 *
 * @param contentType the request's Content-Type; it names the patch type
 * @param live the stored object as JSON, metadata included; for an apply to an object
 *     that does not exist yet, an empty object (or null), and the result is the object to create
 * @param body the patch document as sent
 * @param apiVersion the apiVersion of the resource, e.g. "apps/v1"; an applied configuration must name it
 * @param kind the kind of the resource, e.g. "Deployment"; an applied configuration must name it
 * @param schema how the kind's fields merge: {@code PatchSchemas.forKind(apiVersion, kind)}
 * @param fieldManager the fieldManager query parameter, or the default the handler derives
 *     (see {@link Patches#defaultFieldManager}); required for apply; null for other types
 *     leaves managedFields as they were
 * @param force the force query parameter; allowed only for apply
 * @param clock the time recorded in managedFields
 */
public record PatchRequest(String contentType, JsonNode live, byte[] body, String apiVersion, String kind,
    Struct schema, String fieldManager, boolean force, Clock clock) {}
