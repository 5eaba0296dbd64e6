package io.branchflow.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.operator.repository.BranchLister.Failed;
import io.branchflow.operator.repository.BranchLister.Listed;
import io.branchflow.operator.repository.BranchLister.Listing;
import io.branchflow.testing.FakeGitHost;
import io.branchflow.testing.FakeGitHost.Fault;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The listing against a real Git smart-HTTP server, healthy and failing in every way we know. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BranchListerTest {

  private static final String TOKEN = "ghs_s3cretT0kenThatMustNeverBeShown";
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @TempDir static Path dir;
  private FakeGitHost host;
  private final BranchLister lister = new BranchLister();

  @BeforeAll
  void start() {
    host = FakeGitHost.start(dir);
    host.createRepository("dags");
  }

  @AfterAll
  void stop() {
    host.close();
  }

  @AfterEach
  void heal() {
    host.fault(Fault.NONE);
    host.requireToken(null);
  }

  @Test
  void listsEveryBranchWithItsCommit() {
    String sha = host.push("dags", "feature/hardy");
    host.push("dags", "bugfix/x");

    Listing listing = lister.list(host.cloneUrl("dags"), Optional.empty(), TIMEOUT);

    assertThat(listing).isInstanceOf(Listed.class);
    assertThat(((Listed) listing).branches())
        .containsEntry("feature/hardy", sha)
        .containsKeys("main", "bugfix/x");
  }

  @Test
  void sendsTheTokenAsThePasswordOfXAccessToken() {
    host.requireToken(TOKEN);

    assertThat(lister.list(host.cloneUrl("dags"), Optional.of(TOKEN), TIMEOUT))
        .isInstanceOf(Listed.class);
    Listing without = lister.list(host.cloneUrl("dags"), Optional.empty(), TIMEOUT);
    assertThat(without).isInstanceOf(Failed.class);
    assertThat(((Failed) without).message()).contains("HTTP 401").contains("names none");
    Listing wrong = lister.list(host.cloneUrl("dags"), Optional.of("wrong-" + TOKEN), TIMEOUT);
    assertThat(((Failed) wrong).message()).contains("HTTP 401").doesNotContain(TOKEN);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "SERVER_ERROR, HTTP 500",
    "HANG, timed out",
    "UNAUTHORIZED, HTTP 401",
    "RATE_LIMITED_429, HTTP 429",
    "RATE_LIMITED_403, HTTP 403",
    "TRUNCATED, truncated",
    "CONNECTION_CLOSED, closed",
    "CONNECTION_REFUSED, connection refused",
  })
  void everyFailureIsAFailedListingThatSaysWhyWithoutTheToken(Fault fault, String expected) {
    host.fault(fault);

    Listing listing = lister.list(host.cloneUrl("dags"), Optional.of(TOKEN), TIMEOUT);

    System.out.printf("[fault] %s -> %s%n", fault, listing);
    assertThat(listing).isInstanceOf(Failed.class);
    assertThat(((Failed) listing).message()).contains(expected).doesNotContain(TOKEN);
  }

  @Test
  void aUrlWithCredentialsIsNeverRepeated() {
    host.fault(Fault.SERVER_ERROR);
    String url = host.cloneUrl("dags").replace("http://", "http://user:" + TOKEN + "@");

    Listing listing = lister.list(url, Optional.empty(), TIMEOUT);

    assertThat(((Failed) listing).message()).doesNotContain(TOKEN).contains("HTTP 500");
  }

  @Test
  void aHostThatNeverAnswersHoldsAFewThreadsAtMostAndFurtherListingsFailAtOnceSayingWhy()
      throws Exception {
    BranchLister bounded = new BranchLister();
    ExecutorService callers = Executors.newFixedThreadPool(BranchLister.MAX_CONCURRENT);
    // Bound, never accepting: the kernel completes each connection, nobody ever answers.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + silent.getLocalPort() + "/dags.git";
      List<Future<Listing>> hanging =
          IntStream.range(0, BranchLister.MAX_CONCURRENT)
              .mapToObj(
                  i ->
                      callers.submit(
                          () -> bounded.list(url, Optional.empty(), Duration.ofMinutes(2))))
              .toList();
      await().until(() -> bounded.running() == BranchLister.MAX_CONCURRENT);

      Listing refused = bounded.list(url, Optional.empty(), Duration.ofMinutes(2));

      assertThat(refused).isInstanceOf(Failed.class);
      assertThat(((Failed) refused).message()).startsWith("busy: 4 listings are still running");
      silent.close(); // resets the waiting connections: the hanging listings end
      for (Future<Listing> listing : hanging) {
        assertThat(listing.get()).isInstanceOf(Failed.class);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void measuresAListingOfManyBranches() {
    host.createRepository("big");
    IntStream.range(0, 2000).forEach(i -> host.push("big", "feature/branch-" + i));
    lister.list(host.cloneUrl("big"), Optional.empty(), Duration.ofSeconds(30)); // warm up

    long requests = host.requests();
    long start = System.nanoTime();
    Listing listing = lister.list(host.cloneUrl("big"), Optional.empty(), Duration.ofSeconds(30));
    long ms = (System.nanoTime() - start) / 1_000_000;
    requests = host.requests() - requests;

    assertThat(((Listed) listing).branches()).hasSize(2001);
    // Reported, not asserted: speed is for benchmarks.
    System.out.printf(
        "[measure] ls-remote of 2001 branches on 127.0.0.1: %d ms, %d HTTP requests%n",
        ms, requests);
  }
}
