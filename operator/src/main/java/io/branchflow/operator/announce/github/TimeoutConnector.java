package io.branchflow.operator.announce.github;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * hub4j over {@code java.net.http} with a deadline on every request. hub4j's own {@code
 * HttpClientGitHubConnector} sets none, so a GitHub that accepts the connection and never answers
 * would hold a reporter thread forever.
 */
final class TimeoutConnector implements GitHubConnector {

  private final HttpClient http;
  private final Duration timeout;

  TimeoutConnector(Duration timeout) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.timeout = timeout;
  }

  @Override
  public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
    HttpRequest.Builder builder = HttpRequest.newBuilder().timeout(timeout);
    try {
      builder.uri(request.url().toURI());
    } catch (URISyntaxException e) {
      throw new IOException("invalid URL " + request.url(), e);
    }
    for (Map.Entry<String, List<String>> header : request.allHeaders().entrySet()) {
      if (header.getValue() != null) {
        builder.header(header.getKey(), String.join(",", header.getValue()));
      }
    }
    HttpRequest.BodyPublisher body =
        request.hasBody()
            ? HttpRequest.BodyPublishers.ofByteArray(fixState(request))
            : HttpRequest.BodyPublishers.noBody();
    builder.method(request.method(), body);
    try {
      HttpResponse<byte[]> response =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(request, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException(e.getMessage());
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  /**
   * hub4j 1.330 writes enum values in lower case with dashes, so {@code IN_PROGRESS} goes out as
   * {@code "in-progress"}, which GitHub refuses (its state is {@code in_progress}). Fixed here, on
   * deployment status bodies only.
   */
  static byte[] fixState(GitHubConnectorRequest request) throws IOException {
    byte[] body = request.body().readAllBytes();
    if (!"POST".equals(request.method()) || !request.url().getPath().endsWith("/statuses")) {
      return body;
    }
    String json = new String(body, StandardCharsets.UTF_8);
    return IN_PROGRESS.matcher(json).replaceAll("$1in_progress\"").getBytes(StandardCharsets.UTF_8);
  }

  private static final Pattern IN_PROGRESS = Pattern.compile("(\"state\"\\s*:\\s*\")in-progress\"");

  private static final class Response extends GitHubConnectorResponse.ByteArrayResponse {
    private final byte[] body;

    Response(GitHubConnectorRequest request, HttpResponse<byte[]> response) {
      super(request, response.statusCode(), response.headers().map());
      this.body = response.body();
    }

    @Override
    protected InputStream rawBodyStream() {
      return new ByteArrayInputStream(body == null ? new byte[0] : body);
    }
  }
}
