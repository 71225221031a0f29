package io.berth.apiserver.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Pointer (RFC 6901) split into its unescaped tokens: "/a~1b/~0c" is [a/b, ~c],
 * "" the whole document. Jackson's own JsonPointer parses these too, but it treats
 * a bad escape as a literal and gives no error, and a patch must refuse a bad path.
 */
record JsonPointer(String text, List<String> tokens) {
  JsonPointer {
    tokens = List.copyOf(tokens);
  }

  /** @throws PatchFailure when the text is not a pointer */
  static JsonPointer parse(String text) {
    if (text.isEmpty()) {
      return new JsonPointer(text, List.of());
    }
    if (text.charAt(0) != '/') {
      throw PatchFailure.notApplicable("JSON pointer \"" + text + "\" does not start with /");
    }
    List<String> tokens = new ArrayList<>();
    for (String raw : text.substring(1).split("/", -1)) {
      tokens.add(unescape(raw, text));
    }
    return new JsonPointer(text, tokens);
  }

  boolean isRoot() {
    return tokens.isEmpty();
  }

  /** The pointer to the parent; not to be called on the root. */
  JsonPointer parent() {
    return new JsonPointer(text.substring(0, text.lastIndexOf('/')), tokens.subList(0, tokens.size() - 1));
  }

  String last() {
    return tokens.get(tokens.size() - 1);
  }

  /** Whether {@code other} points strictly inside what this points at. */
  boolean isProperPrefixOf(JsonPointer other) {
    return other.tokens.size() > tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
  }

  private static String unescape(String raw, String whole) {
    StringBuilder token = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '~') {
        token.append(c);
        continue;
      }
      char next = i + 1 < raw.length() ? raw.charAt(i + 1) : ' ';
      if (next != '0' && next != '1') {
        throw PatchFailure.notApplicable("JSON pointer \"" + whole + "\" has an invalid escape (~ must be ~0 or ~1)");
      }
      token.append(next == '0' ? '~' : '/');
      i++;
    }
    return token.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
