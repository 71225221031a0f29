package io.berth.cli.ingress;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 GETs with a Host header of our choosing, which the JDK's HttpClient refuses to set:
 * the ingress routes by it. {@link #get} uses a fresh connection; {@link Connection} keeps one
 * alive across requests as a browser does.
 */
final class HostedHttp {
  record Answer(int status, String body) {}

  private final String address;
  private final int port;

  HostedHttp(String address, int port) {
    this.address = address;
    this.port = port;
  }

  int port() {
    return port;
  }

  /** One GET on its own connection; an I/O failure is status 0 with the error as the body. */
  Answer get(String host, String path) {
    try (Connection connection = open()) {
      return connection.get(host, path);
    } catch (IOException e) {
      return new Answer(0, e.toString());
    }
  }

  Connection open() throws IOException {
    return new Connection(new Socket(address, port));
  }

  /** One kept-alive connection to the ingress. */
  static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private boolean closed;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      socket.setSoTimeout(15_000);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    }

    /** Whether the server said it closes this connection after the last answer. */
    boolean closed() {
      return closed;
    }

    Answer get(String host, String path) throws IOException {
      return send("GET", host, path, null);
    }

    /** A request with a small text body (POST, which the ingress does not retry once it was sent). */
    Answer post(String host, String path, String body) throws IOException {
      return send("POST", host, path, body);
    }

    private Answer send(String method, String host, String path, String requestBody) throws IOException {
      byte[] content = requestBody == null ? new byte[0] : requestBody.getBytes(StandardCharsets.UTF_8);
      String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: berth-test\r\n"
          + (requestBody == null ? "" : "Content-Type: text/plain\r\nContent-Length: " + content.length + "\r\n") + "\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      String statusLine = line();
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      long length = -1;
      boolean chunked = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> closed = value.equalsIgnoreCase("close");
          default -> { }
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) {
        for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
            size = Long.parseLong(line().split(";")[0].trim(), 16)) {
          body.write(in.readNBytes((int) size));
          line();
        }
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
          // trailers are not used here
        }
      } else if (length >= 0) {
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
          throw new EOFException("body cut short: " + bytes.length + " of " + length + " bytes");
        }
        body.write(bytes);
      } else {
        body.write(in.readAllBytes());
        closed = true;
      }
      return new Answer(status, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new EOFException("connection closed by the ingress" + (line.isEmpty() ? "" : " after: " + line));
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
