package io.berth.apiserver.access;

import io.berth.apiserver.registry.ResourceTable;
import io.berth.apiserver.registry.ResourceType;
import io.berth.apiserver.rest.ApiException;
import io.berth.apiserver.rest.ApiRequest;
import io.berth.apiserver.rest.ApiResponse;
import io.berth.apiserver.rest.ObjectCodec;
import io.berth.apiserver.rest.RequestBodies;
import io.berth.apiserver.rest.ResourcePath;
import io.berth.apiserver.rest.Statuses;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import java.util.List;
import java.util.Objects;

/**
 * SelfSubjectAccessReview ("may I?", what {@code kubectl auth can-i} asks) and
 * SubjectAccessReview ("may this user?"): the authorizer's answer to a question, never
 * stored. Answered with 201 and the review, its status filled in, as kube-apiserver does.
 */
public final class AccessReviews {
  private final Authorizer authorizer;
  private final ResourceTable table = ResourceTable.builtIn();

  public AccessReviews(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  /** Whether {@code path} names a review (else it is an ordinary resource). */
  public boolean answers(ResourcePath path) {
    return path.group().equals(ResourceTable.AUTHORIZATION) && path.subresource() == null
        && (path.plural().equals("selfsubjectaccessreviews") || path.plural().equals("subjectaccessreviews"));
  }

  /** The review in the request, answered for the requester (self) or the user it names. */
  public ApiResponse answer(ApiRequest request, ResourcePath path, String verb, UserInfo requester) {
    boolean self = path.plural().equals("selfsubjectaccessreviews");
    ResourceType type = table.find(path.group(), path.version(), path.plural())
        .orElseThrow(Statuses::pathNotFound);
    if (!verb.equals("create") || path.name() != null) {
      throw Statuses.methodNotSupported(type, verb);
    }
    byte[] body = RequestBodies.asJson(request.contentType(), request.body());
    if (body.length == 0) {
      throw Statuses.badRequest("the body of the request was empty: a " + type.kind() + " is expected");
    }
    if (self) {
      SelfSubjectAccessReview review = (SelfSubjectAccessReview) ObjectCodec.decodeBody(body, type);
      var spec = review.getSpec();
      checkAttributes(type, spec == null ? null : spec.getResourceAttributes(),
          spec == null ? null : spec.getNonResourceAttributes());
      review.setStatus(decide(requester, spec.getResourceAttributes(), spec.getNonResourceAttributes()));
      review.setMetadata(withoutServerFields(review.getMetadata()));
      return created(review);
    }
    SubjectAccessReview review = (SubjectAccessReview) ObjectCodec.decodeBody(body, type);
    var spec = review.getSpec();
    checkAttributes(type, spec == null ? null : spec.getResourceAttributes(),
        spec == null ? null : spec.getNonResourceAttributes());
    if (isEmpty(spec.getUser()) && (spec.getGroups() == null || spec.getGroups().isEmpty())) {
      throw Statuses.invalid(type, "", List.of(new ApiException.Cause("FieldValueInvalid",
          "Invalid value: \"\": at least one of user or group must be specified", "spec.user")));
    }
    UserInfo subject = new UserInfo(Objects.requireNonNullElse(spec.getUser(), ""),
        spec.getGroups() == null ? List.of() : spec.getGroups());
    review.setStatus(decide(subject, spec.getResourceAttributes(), spec.getNonResourceAttributes()));
    review.setMetadata(withoutServerFields(review.getMetadata()));
    return created(review);
  }

  private SubjectAccessReviewStatus decide(UserInfo user, ResourceAttributes resource,
      NonResourceAttributes nonResource) {
    RequestAttributes attributes = resource != null
        ? new RequestAttributes(user, orEmpty(resource.getVerb()), orEmpty(resource.getGroup()),
            orEmpty(resource.getResource()), emptyToNull(resource.getSubresource()),
            emptyToNull(resource.getNamespace()), emptyToNull(resource.getName()))
        : RequestAttributes.nonResource(user, orEmpty(nonResource.getVerb()), orEmpty(nonResource.getPath()));
    Authorizer.Decision decision = authorizer.authorize(attributes);
    SubjectAccessReviewStatus status = new SubjectAccessReviewStatus();
    status.setAllowed(decision.allowed());
    if (!decision.reason().isEmpty()) {
      status.setReason(decision.reason());
    }
    return status;
  }

  /** Exactly one of the two, as Kubernetes' validation of access reviews demands. */
  private static void checkAttributes(ResourceType type, ResourceAttributes resource, NonResourceAttributes nonResource) {
    if ((resource == null) == (nonResource == null)) {
      String value = resource == null ? "null" : "{...}";
      throw Statuses.invalid(type, "", List.of(new ApiException.Cause("FieldValueInvalid", "Invalid value: "
          + value + ": exactly one of nonResourceAttributes or resourceAttributes must be specified",
          "spec.resourceAttributes")));
    }
  }

  private static ObjectMeta withoutServerFields(ObjectMeta given) {
    ObjectMeta meta = new ObjectMeta();
    if (given != null) {
      meta.setName(given.getName());
      meta.setLabels(given.getLabels());
    }
    return meta;
  }

  private static ApiResponse created(Object review) {
    return new ApiResponse(201, ObjectCodec.encode(review));
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String emptyToNull(String s) {
    return isEmpty(s) ? null : s;
  }
}
