package io.branchflow.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test host of our own beside this machine: a network namespace joined to the machine by a veth
 * pair, with an HTTP server in it. It stands for "anything outside the pod network" without sending
 * a packet off the machine: the machine reaches it directly, a pod only if the machine forwards the
 * pod's packets off the bridge. Needs root, as the real node does.
 */
final class OutsideHost implements AutoCloseable {

  static final String ADDRESS = "10.250.0.2";
  static final int PORT = 8080;
  private static final String NETNS = "bf-test-outside";
  private static final String HOST_SIDE = "bf-out0";

  private final Process server;
  private final Path root;

  private OutsideHost(Process server, Path root) {
    this.server = server;
    this.root = root;
  }

  /** Starts the host, serving a file {@code /id} that holds {@code token}. */
  static OutsideHost start(String token) throws IOException, InterruptedException {
    removeLeftovers();
    run("ip", "netns", "add", NETNS);
    run("ip", "link", "add", HOST_SIDE, "type", "veth", "peer", "name", "bf-out1");
    run("ip", "link", "set", "bf-out1", "netns", NETNS);
    run("ip", "addr", "add", "10.250.0.1/24", "dev", HOST_SIDE);
    run("ip", "link", "set", HOST_SIDE, "up");
    run("ip", "netns", "exec", NETNS, "ip", "addr", "add", ADDRESS + "/24", "dev", "bf-out1");
    run("ip", "netns", "exec", NETNS, "ip", "link", "set", "bf-out1", "up");
    run("ip", "netns", "exec", NETNS, "ip", "link", "set", "lo", "up");
    // Replies to a pod (10.244.0.0/24) would go back through the machine.
    run("ip", "netns", "exec", NETNS, "ip", "route", "add", "default", "via", "10.250.0.1");
    Path root = Files.createTempDirectory("bf-outside-");
    Files.writeString(root.resolve("id"), token);
    Process server =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                NETNS,
                "python3",
                "-m",
                "http.server",
                "" + PORT,
                "--bind",
                ADDRESS,
                "--directory",
                root.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return new OutsideHost(server, root);
  }

  String url() {
    return "http://" + ADDRESS + ":" + PORT + "/id";
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.destroy();
    server.waitFor(10, TimeUnit.SECONDS);
    removeLeftovers();
    Files.deleteIfExists(root.resolve("id"));
    Files.deleteIfExists(root);
  }

  private static void removeLeftovers() throws IOException, InterruptedException {
    new ProcessBuilder("ip", "netns", "del", NETNS).start().waitFor();
    new ProcessBuilder("ip", "link", "del", HOST_SIDE).start().waitFor();
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }
}
