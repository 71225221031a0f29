package io.berth.apiserver.access;

import io.berth.apiserver.rest.ApiRequest;

/**
 * A check of an authorized request that needs its body (kube-apiserver's validating
 * admission): refuses with an ApiException, or returns.
 */
public interface RequestAdmission {
  void admit(RequestAttributes attributes, ApiRequest request);

  static RequestAdmission none() {
    return (attributes, request) -> { };
  }
}
