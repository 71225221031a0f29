package io.berth.apiserver.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One row of {@link Validation}'s table: how one kind's names are checked, what any object
 * of the kind must satisfy, and what an update may not change.
 */
record KindRules<T extends HasMetadata>(Class<T> modelClass, NameRule names, ObjectRule<T> object,
    UpdateRule<T> update) {

  @FunctionalInterface
  interface ObjectRule<T> {
    void check(T object, Errors errors);
  }

  @FunctionalInterface
  interface UpdateRule<T> {
    void check(T updated, T old, Errors errors);
  }

  /** For kinds where everything the object rules allow may change. */
  static <T> UpdateRule<T> none() {
    return (updated, old, errors) -> { };
  }

  void check(HasMetadata candidate, Errors errors) {
    if (modelClass.isInstance(candidate)) {
      object.check(modelClass.cast(candidate), errors);
    }
  }

  void checkUpdate(HasMetadata updated, HasMetadata old, Errors errors) {
    if (modelClass.isInstance(updated) && modelClass.isInstance(old)) {
      update.check(modelClass.cast(updated), modelClass.cast(old), errors);
    }
  }
}
