package io.branchflow.operator.repository;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Lists the branches of a repository with {@code git ls-remote --heads} (JGit): the ref
 * advertisement of the Git smart-HTTP protocol, one snapshot of every branch in one answer, not
 * paged and not counted against GitHub's REST rate limit.
 *
 * <p>A listing either succeeds completely or fails with a reason fit for a status message: the HTTP
 * status, the timeout, the connection error. A token never appears in it.
 */
public class BranchLister {

  /** GitHub accepts an installation or personal token as the password of this user. */
  static final String TOKEN_USER = "x-access-token";

  private static final Pattern HTTP_STATUS = Pattern.compile(":\\s*(\\d{3})\\s+([^:]*)$");
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]*@");

  /**
   * Listings that may run at once. A Git host that accepts connections and never answers holds a
   * thread until JGit's own timeout; bounded, such a host can cost a few threads, never the
   * operator's memory. A listing beyond the bound fails at once (and is retried at the next
   * resync).
   */
  static final int MAX_CONCURRENT = 4;

  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          0,
          MAX_CONCURRENT,
          1,
          TimeUnit.MINUTES,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "branchflow-ls-remote");
            t.setDaemon(true);
            return t;
          });

  /** The outcome of one listing. */
  public sealed interface Listing permits Listed, Failed {}

  /**
   * Every branch (name without {@code refs/heads/}) and the commit it points at, as the host
   * advertised them at one moment.
   */
  public record Listed(Map<String, String> branches) implements Listing {}

  /** Why branches could not be listed; safe to show (no token, no credentials in URLs). */
  public record Failed(String message) implements Listing {}

  /**
   * Lists the branches at {@code cloneUrl}, authenticating with {@code token} when present. Never
   * throws: every failure is a {@link Failed}.
   */
  public Listing list(String cloneUrl, Optional<String> token, Duration timeout) {
    int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    Future<Map<String, Ref>> call;
    try {
      call = submit(cloneUrl, token, seconds);
    } catch (RejectedExecutionException e) {
      return new Failed(
          "busy: "
              + MAX_CONCURRENT
              + " listings are still running (a Git host that does not answer?); tried again at"
              + " the next resync");
    }
    Map<String, Ref> refs;
    try {
      refs = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return new Failed("timed out: no complete answer within " + human(timeout));
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return new Failed("interrupted (the operator is stopping)");
    } catch (ExecutionException e) {
      return new Failed(describe(e.getCause(), token, timeout));
    }
    Map<String, String> branches = new TreeMap<>();
    for (Ref ref : refs.values()) {
      String name = ref.getName();
      if (!name.startsWith(Constants.R_HEADS) || ref.getObjectId() == null) {
        continue;
      }
      branches.put(name.substring(Constants.R_HEADS.length()), ref.getObjectId().name());
    }
    if (branches.isEmpty()) {
      // Every real repository has its default branch: an empty answer is a broken one (a proxy,
      // an error page served as 200), and acting on it would delete every environment.
      return new Failed("the host listed no branches at all, not even a default branch");
    }
    return new Listed(Map.copyOf(branches));
  }

  private Future<Map<String, Ref>> submit(String cloneUrl, Optional<String> token, int seconds) {
    return executor.submit(
        () -> {
          var command =
              Git.lsRemoteRepository().setHeads(true).setRemote(cloneUrl).setTimeout(seconds);
          token.ifPresent(
              t ->
                  command.setCredentialsProvider(
                      new UsernamePasswordCredentialsProvider(TOKEN_USER, t)));
          return command.callAsMap();
        });
  }

  /** Listings running now (for tests). */
  int running() {
    return executor.getActiveCount();
  }

  /** What went wrong, in words a platform engineer can act on, without secrets. */
  static String describe(Throwable failure, Optional<String> token, Duration timeout) {
    String top = failure.getMessage() == null ? "" : failure.getMessage();
    String why;
    if (has(failure, SocketTimeoutException.class) || has(failure, InterruptedIOException.class)) {
      why = "timed out: no answer within " + human(timeout);
    } else if (has(failure, ConnectException.class)) {
      why = "connection refused: " + rootMessage(failure);
    } else if (has(failure, UnknownHostException.class)) {
      why = "unknown host " + rootMessage(failure);
    } else if (top.contains("Authentication is required")) {
      why =
          "HTTP 401 Unauthorized: the host requires a credential and spec.cloneCredentialRef names none";
    } else if (top.contains("not authorized")) {
      why = "HTTP 401 Unauthorized: the token was refused (expired, revoked or wrong)";
    } else if (top.contains("not permitted")) {
      why =
          "HTTP 403 Forbidden: the token may not read this repository, or the host is rate"
              + " limiting";
    } else if (statusOf(top) != null) {
      Matcher m = HTTP_STATUS.matcher(top);
      m.find();
      int status = Integer.parseInt(m.group(1));
      why =
          "HTTP "
              + status
              + " "
              + m.group(2).strip()
              + (status == 429 ? ": the host is rate limiting" : "")
              + (status >= 500 ? ": the host failed" : "");
    } else if (has(failure, EOFException.class) || top.contains("Premature EOF")) {
      why = "the answer ended early (truncated): " + rootMessage(failure);
    } else if (top.contains("connection failed") || top.contains("Connection reset")) {
      why = "the connection was closed without an answer: " + rootMessage(failure);
    } else {
      why = failure.getClass().getSimpleName() + ": " + top + causeSuffix(failure);
    }
    return redact(why, token);
  }

  /** The HTTP status JGit put at the end of its message ({@code "<url>: 500 Server Error"}). */
  static Integer statusOf(String message) {
    Matcher m = HTTP_STATUS.matcher(message);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }

  static String redact(String text, Optional<String> token) {
    String out = USER_INFO.matcher(text).replaceAll("$1***@");
    if (token.isPresent() && !token.get().isEmpty()) {
      out = out.replace(token.get(), "***");
    }
    return out.length() > 400 ? out.substring(0, 400) + "..." : out;
  }

  private static boolean has(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static String causeSuffix(Throwable failure) {
    Throwable cause = failure.getCause();
    if (cause == null || cause.getMessage() == null || failure.getMessage() == null) {
      return "";
    }
    return failure.getMessage().contains(cause.getMessage())
        ? ""
        : " (" + rootMessage(failure) + ")";
  }

  static String human(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }
}
