package io.branchflow.operator.announce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.Comparator;
import java.util.List;

/**
 * A WireMock server standing in for an outside web API (GitHub, Slack), with what every test of a
 * reporter needs: fail every request on demand, answer late, recover, read the journal in order.
 */
public abstract class FakeApi implements AutoCloseable {

  protected final WireMockServer server;
  private StubMapping failure;

  protected FakeApi(WireMockConfiguration options) {
    server = new WireMockServer(options.dynamicPort());
    server.start();
  }

  public String url() {
    return server.baseUrl();
  }

  /** Every request answered with {@code status} and {@code headers} (name, value, ...). */
  public void failWith(int status, String body, String... headers) {
    StubMapping previous = failure;
    ResponseDefinitionBuilder response =
        aResponse()
            .withStatus(status)
            .withHeader("Content-Type", "application/json; charset=utf-8")
            .withBody(body);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      response.withHeader(headers[i], headers[i + 1]);
    }
    // The new failure first, then the old one away: no request slips through in between.
    failure = server.stubFor(any(anyUrl()).atPriority(1).willReturn(response));
    if (previous != null) {
      server.removeStub(previous);
    }
  }

  /** Every request answered late, after {@code millis}. */
  public void answerAfter(int millis) {
    StubMapping previous = failure;
    failure =
        server.stubFor(
            any(anyUrl())
                .atPriority(1)
                .willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(millis)));
    if (previous != null) {
      server.removeStub(previous);
    }
  }

  /** Back to answering normally. */
  public void recover() {
    if (failure != null) {
      server.removeStub(failure);
      failure = null;
    }
  }

  /** Every request received, oldest first. */
  public List<LoggedRequest> requests() {
    return server.getAllServeEvents().stream()
        .map(e -> (LoggedRequest) e.getRequest())
        .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
        .toList();
  }

  protected List<LoggedRequest> requests(RequestPatternBuilder pattern) {
    return server.findAll(pattern).stream()
        .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
        .toList();
  }

  public void resetJournal() {
    server.resetRequests();
  }

  @Override
  public void close() {
    server.stop();
  }
}
