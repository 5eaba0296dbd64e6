package io.branchflow.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A Git host for tests: bare repositories served over Git smart HTTP by JGit's {@link GitServlet}
 * in an embedded Jetty on 127.0.0.1, with a {@link Fault} filter in front that answers the way
 * GitHub does when it is down, slow, rate limiting or refusing a token.
 */
public final class FakeGitHost implements AutoCloseable {

  /** How the host answers. */
  public enum Fault {
    NONE,
    /** HTTP 500. */
    SERVER_ERROR,
    /** No answer until the fault is cleared (past any client timeout). */
    HANG,
    /** HTTP 401 with a Basic challenge, whatever credentials came. */
    UNAUTHORIZED,
    /** HTTP 429 with Retry-After and GitHub's rate-limit headers. */
    RATE_LIMITED_429,
    /** HTTP 403 with GitHub's rate-limit headers (secondary rate limit). */
    RATE_LIMITED_403,
    /** The right status and headers, but the pkt-line body cut in the middle. */
    TRUNCATED,
    /** The TCP connection closed without any answer. */
    CONNECTION_CLOSED,
    /** Nothing listens on the port. */
    CONNECTION_REFUSED
  }

  private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.com");

  private final Path root;
  private final Server server;
  private final ServerConnector connector;
  private final Map<String, Repository> repositories = new ConcurrentHashMap<>();
  private final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
  private final AtomicReference<CountDownLatch> release =
      new AtomicReference<>(new CountDownLatch(1));
  private final AtomicReference<String> requiredToken = new AtomicReference<>();
  private final AtomicLong requests = new AtomicLong();
  private final int port;

  private final String host;

  private FakeGitHost(Path root, String host) throws Exception {
    this.root = root;
    this.host = host;
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(0);
    server.addConnector(connector);
    GitServlet git = new GitServlet();
    git.setRepositoryResolver(
        (request, name) -> {
          Repository repository = repositories.get(name.replaceAll("\\.git$", ""));
          if (repository == null) {
            throw new RepositoryNotFoundException(name);
          }
          repository.incrementOpen();
          return repository;
        });
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(git), "/git/*");
    context.addFilter(
        new FilterHolder(new FaultFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
    connector.setPort(port); // a restart after CONNECTION_REFUSED comes back on the same port
  }

  /** Starts a host keeping its repositories under {@code root}. */
  public static FakeGitHost start(Path root) {
    return start(root, "127.0.0.1");
  }

  /**
   * Starts a host listening on {@code host} only: the real node's address, for instance, so its
   * pods can clone.
   */
  public static FakeGitHost start(Path root, String host) {
    try {
      return new FakeGitHost(root, host);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the fake Git host", e);
    }
  }

  /** Creates the bare repository {@code name} with a {@code main} branch. */
  public synchronized String createRepository(String name) {
    try {
      Repository repository =
          FileRepositoryBuilder.create(
              Files.createDirectories(root.resolve(name + ".git")).toFile());
      repository.create(true);
      repositories.put(name, repository);
      push(name, "main");
      return cloneUrl(name);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String cloneUrl(String name) {
    return "http://" + host + ":" + port + "/git/" + name + ".git";
  }

  /** Creates or moves {@code branch} to a new commit; returns the commit. */
  public synchronized String push(String name, String branch) {
    try (ObjectInserter inserter = repository(name).newObjectInserter()) {
      return commit(name, branch, inserter.insert(new TreeFormatter()), inserter);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Creates or moves {@code branch} to a new commit whose tree is exactly {@code files} (path with
   * '/' separators to content); returns the commit.
   */
  public synchronized String push(String name, String branch, Map<String, String> files) {
    try (ObjectInserter inserter = repository(name).newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
        DirCacheEntry entry = new DirCacheEntry(file.getKey());
        entry.setFileMode(FileMode.REGULAR_FILE);
        entry.setObjectId(
            inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
        builder.add(entry);
      }
      builder.finish();
      return commit(name, branch, index.writeTree(inserter), inserter);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String commit(String name, String branch, ObjectId tree, ObjectInserter inserter) {
    Repository repository = repository(name);
    try {
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setAuthor(AUTHOR);
      commit.setCommitter(AUTHOR);
      commit.setMessage(branch + " at " + System.nanoTime());
      ObjectId previous = repository.resolve(Constants.R_HEADS + branch);
      if (previous != null) {
        commit.setParentId(previous);
      }
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = repository.updateRef(Constants.R_HEADS + branch);
      update.setNewObjectId(id);
      update.setForceUpdate(true);
      RefUpdate.Result result = update.update();
      if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FORCED) {
        throw new IllegalStateException("could not push " + branch + ": " + result);
      }
      return id.name();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes {@code branch}, as {@code git push --delete} does. */
  public synchronized void deleteBranch(String name, String branch) {
    try {
      RefUpdate update = repository(name).updateRef(Constants.R_HEADS + branch);
      update.setForceUpdate(true);
      RefUpdate.Result result = update.delete();
      if (result != RefUpdate.Result.FORCED) {
        throw new IllegalStateException("could not delete " + branch + ": " + result);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** From now on, answer every request this way. */
  public synchronized void fault(Fault next) {
    Fault before = fault.getAndSet(next);
    if (before == Fault.HANG) {
      release.getAndSet(new CountDownLatch(1)).countDown();
    }
    try {
      if (next == Fault.CONNECTION_REFUSED && before != Fault.CONNECTION_REFUSED) {
        connector.stop();
      } else if (before == Fault.CONNECTION_REFUSED && next != Fault.CONNECTION_REFUSED) {
        connector.start();
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot switch the connector for " + next, e);
    }
  }

  /** Requires {@code x-access-token:<token>} Basic credentials (null: anyone may read). */
  public void requireToken(String token) {
    requiredToken.set(token);
  }

  /** Requests that reached the host so far. */
  public long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    release.get().countDown();
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    repositories.values().forEach(Repository::close);
  }

  private Repository repository(String name) {
    Repository repository = repositories.get(name);
    if (repository == null) {
      throw new IllegalArgumentException("no repository " + name);
    }
    return repository;
  }

  private final class FaultFilter implements Filter {

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      requests.incrementAndGet();
      HttpServletRequest request = (HttpServletRequest) req;
      HttpServletResponse response = (HttpServletResponse) res;
      switch (fault.get()) {
        case NONE, CONNECTION_REFUSED -> {
          if (authorized(request)) {
            chain.doFilter(req, res);
          } else {
            challenge(response);
          }
        }
        case SERVER_ERROR -> response.sendError(500);
        case HANG -> {
          try {
            release.get().await(2, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          response.sendError(503);
        }
        case UNAUTHORIZED -> challenge(response);
        case RATE_LIMITED_429 -> {
          response.setHeader("Retry-After", "60");
          rateLimitHeaders(response);
          response.sendError(429, "Too Many Requests");
        }
        case RATE_LIMITED_403 -> {
          rateLimitHeaders(response);
          response.setContentType("text/plain");
          response.setStatus(403);
          response.getWriter().write("You have exceeded a secondary rate limit.\n");
        }
        case TRUNCATED -> {
          Capture capture = new Capture(response);
          chain.doFilter(req, capture);
          byte[] body = capture.body();
          // Half of the pkt-line stream: never ends with the flush-pkt the client waits for.
          response.getOutputStream().write(body, 0, Math.max(1, body.length / 2));
          response.flushBuffer();
        }
        case CONNECTION_CLOSED ->
            ServletContextRequest.getServletContextRequest(req)
                .getConnectionMetaData()
                .getConnection()
                .getEndPoint()
                .close();
      }
    }

    private boolean authorized(HttpServletRequest request) {
      String token = requiredToken.get();
      if (token == null) {
        return true;
      }
      String expected =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
      return expected.equals(request.getHeader("Authorization"));
    }

    private void challenge(HttpServletResponse response) throws IOException {
      response.setHeader("WWW-Authenticate", "Basic realm=\"GitHub\"");
      response.sendError(401);
    }

    private void rateLimitHeaders(HttpServletResponse response) {
      response.setHeader("X-RateLimit-Limit", "5000");
      response.setHeader("X-RateLimit-Remaining", "0");
      response.setHeader(
          "X-RateLimit-Reset", Long.toString(System.currentTimeMillis() / 1000 + 3600));
    }
  }

  /** Holds back a response body so the filter can send only part of it. */
  private static final class Capture extends HttpServletResponseWrapper {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final ServletOutputStream stream =
        new ServletOutputStream() {
          @Override
          public boolean isReady() {
            return true;
          }

          @Override
          public void setWriteListener(WriteListener listener) {}

          @Override
          public void write(int b) {
            buffer.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
          }
        };
    private PrintWriter writer;

    Capture(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return stream;
    }

    @Override
    public PrintWriter getWriter() {
      if (writer == null) {
        writer = new PrintWriter(stream, false, StandardCharsets.UTF_8);
      }
      return writer;
    }

    @Override
    public void setContentLength(int len) {}

    @Override
    public void setContentLengthLong(long len) {}

    @Override
    public void flushBuffer() {}

    byte[] body() {
      if (writer != null) {
        writer.flush();
      }
      return buffer.toByteArray();
    }
  }
}
