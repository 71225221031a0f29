package io.berth.apiserver.access;

import io.berth.apiserver.rest.ApiRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Static bearer tokens from a file in kube-apiserver's {@code --token-auth-file} format:
 * one CSV line per token, {@code token,user,uid,"group1,group2"} (the groups column is
 * optional). A request presents one as {@code Authorization: Bearer TOKEN}.
 *
 * <p>Tokens are kept only as SHA-256 digests, so a lookup takes the same time however
 * much of a guess matches a real token.
 */
public final class TokenFile implements CredentialAuthenticator {
  private final Map<String, UserInfo> usersByDigest;

  private TokenFile(Map<String, UserInfo> usersByDigest) {
    this.usersByDigest = Map.copyOf(usersByDigest);
  }

  /**
   * Reads the file.
   *
   * @throws IllegalArgumentException naming the line of a malformed entry or a token listed twice
   */
  public static TokenFile read(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Tokens given in code, e.g. the server's own loopback token. */
  public static TokenFile of(Map<String, UserInfo> usersByToken) {
    Map<String, UserInfo> users = new HashMap<>();
    usersByToken.forEach((token, user) -> users.put(digest(token), user));
    return new TokenFile(users);
  }

  static TokenFile parse(String source, String text) {
    Map<String, UserInfo> users = new HashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1);
      List<String> fields;
      try {
        fields = csvFields(line);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
      if (fields.size() < 3 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
        throw new IllegalArgumentException(where + ": want token,user,uid[,\"group1,group2\"], with a token and a user");
      }
      List<String> groups = fields.size() > 3 && !fields.get(3).isBlank()
          ? Arrays.stream(fields.get(3).split(",")).map(String::strip).filter(g -> !g.isEmpty()).toList()
          : List.of();
      if (users.put(digest(fields.get(0)), new UserInfo(fields.get(1), groups)) != null) {
        throw new IllegalArgumentException(where + ": this token is listed twice");
      }
    }
    return new TokenFile(users);
  }

  @Override
  public Optional<UserInfo> authenticate(ApiRequest request) {
    String header = request.header("Authorization");
    if (header == null) {
      return Optional.empty();
    }
    String[] parts = header.strip().split(" ", 2);
    if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
      return Optional.empty();
    }
    String token = parts[1].strip();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    UserInfo user = usersByDigest.get(digest(token));
    if (user == null) {
      throw new InvalidCredentialException("invalid bearer token");
    }
    return Optional.of(user);
  }

  public int size() {
    return usersByDigest.size();
  }

  private static String digest(String token) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * The fields of one CSV line (RFC 4180 quoting: "a,b" is one field, "" inside quotes is a
   * quote). Hand-written because it is this small and the API server has no CSV library.
   */
  static List<String> csvFields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("a quote is not closed");
    }
    fields.add(field.toString());
    return fields;
  }
}
