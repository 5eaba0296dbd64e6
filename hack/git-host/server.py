"""A read-only Git smart-HTTP server for hack/git-host.sh (run through that script, not on its own).

Every request runs `git http-backend` as a CGI program (RFC 3875) with GIT_PROJECT_ROOT set to
the served directory, so clones, shallow clones, fetches and protocol v2 work exactly as against
any Git host; dumb HTTP (plain files) is served by http-backend too. Written against the standard
library only: no `cgi` module (removed in Python 3.13), no third-party packages.

    python3 server.py ROOT ADDR PORT     (PORT 0: a free port)

Once the server answers a real request, one line `git host: http://ADDR:PORT/` goes to stdout;
logs go to stderr. SIGTERM or SIGINT stops it: running http-backend children are killed, the
socket closed, exit status 0.
"""

import http.server
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

CHUNK = 64 * 1024


def log(message):
    print(f"[git-host] {message}", file=sys.stderr, flush=True)


class Backend:
    """What every request shares: the served root, the CGI environment, the running children."""

    def __init__(self, root):
        self.root = root
        self.children = set()
        self.lock = threading.Lock()
        self.stopping = False
        here = os.path.dirname(os.path.realpath(__file__))
        self.base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": here,
            # Our own Git configuration (read-only, safe.directory), nothing else: see gitconfig.
            "GIT_CONFIG_GLOBAL": os.path.join(here, "gitconfig"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_PROJECT_ROOT": root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_SOFTWARE": "branchflow-git-host",
        }

    def start(self, env):
        with self.lock:
            if self.stopping:
                raise RuntimeError("stopping")
            child = subprocess.Popen(["git", "http-backend"], env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=None)
            self.children.add(child)
            return child

    def done(self, child):
        with self.lock:
            self.children.discard(child)

    def stop(self):
        with self.lock:
            self.stopping = True
            children = list(self.children)
        for child in children:
            child.kill()
        for child in children:
            child.wait()


class Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, and a response body ends when the connection closes,
    # so http-backend's output can be streamed as it comes without knowing its length.
    protocol_version = "HTTP/1.0"
    server_version = "branchflow-git-host"
    backend = None  # set in main()

    def do_GET(self):
        self.run_backend()

    def do_HEAD(self):
        self.run_backend()

    def do_POST(self):
        self.run_backend()

    def log_message(self, format, *args):  # noqa: A002 (the base class's signature)
        log(f"{self.address_string()} {format % args}")

    def run_backend(self):
        path, _, query = self.path.partition("?")
        path_info = urllib.parse.unquote(path)
        if not path_info.startswith("/") or "\0" in path_info:
            self.send_error(400, "bad path")
            return
        env = dict(self.backend.base_env)
        env.update({
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "REMOTE_ADDR": self.client_address[0],
            "SERVER_PROTOCOL": self.request_version,
        })
        for header, var in (("Content-Type", "CONTENT_TYPE"),
                            ("Content-Encoding", "HTTP_CONTENT_ENCODING"),
                            ("Git-Protocol", "HTTP_GIT_PROTOCOL")):
            value = self.headers.get(header)
            if value:
                env[var] = value
        if env.get("HTTP_GIT_PROTOCOL"):
            env["GIT_PROTOCOL"] = env["HTTP_GIT_PROTOCOL"]
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        length = 0
        if not chunked:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                self.send_error(400, "bad Content-Length")
                return
            # Without CONTENT_LENGTH http-backend reads its input to the end (the chunked case).
            env["CONTENT_LENGTH"] = str(length)
        try:
            child = self.backend.start(env)
        except (OSError, RuntimeError) as e:
            self.send_error(503, f"cannot run git http-backend: {e}")
            return
        try:
            # The body is fed from a thread while the output is read here: neither pipe can fill
            # up and stall the other.
            feeder = threading.Thread(target=self.feed, args=(child, chunked, length), daemon=True)
            feeder.start()
            self.relay(child)
            feeder.join(timeout=1)
        except (BrokenPipeError, ConnectionResetError):
            log(f"{self.address_string()} went away during {self.command} {path}")
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            self.backend.done(child)

    def feed(self, child, chunked, length):
        try:
            if chunked:
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline().strip():  # trailers, up to the empty line
                            pass
                        break
                    child.stdin.write(self.rfile.read(size))
                    self.rfile.readline()  # the CRLF after each chunk
            else:
                while length > 0:
                    data = self.rfile.read(min(CHUNK, length))
                    if not data:
                        break
                    child.stdin.write(data)
                    length -= len(data)
        except (OSError, ValueError):
            pass  # the client went away, or http-backend stopped reading: relay() reports it
        finally:
            try:
                child.stdin.close()
            except OSError:
                pass

    def relay(self, child):
        # CGI response: header lines up to an empty line, then the body. Status: sets the code.
        status, headers = 200, []
        while True:
            line = child.stdout.readline()
            if not line:
                self.send_error(502, "git http-backend ended without a response")
                return
            line = line.rstrip(b"\r\n").decode("latin-1")
            if not line:
                break
            name, _, value = line.partition(":")
            value = value.strip()
            if name.lower() == "status":
                status = int(value.split()[0])
            else:
                headers.append((name, value))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        while True:
            data = child.stdout.read1(CHUNK)
            if not data:
                break
            self.wfile.write(data)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def check(url, root):
    """A real request: the smart-HTTP ref advertisement of the first repository, or, when ROOT
    holds none yet, any HTTP answer at all."""
    repo = None
    for dirpath, dirnames, _ in os.walk(root):
        dirnames.sort()
        if os.path.isfile(os.path.join(dirpath, "HEAD")) and os.path.isdir(os.path.join(dirpath, "objects")):
            repo = os.path.relpath(dirpath, root)
            break
    # No proxy: the request is for ourselves, whatever http_proxy says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    if repo is None:
        try:
            opener.open(url, timeout=10).close()
        except urllib.error.HTTPError:
            pass  # an HTTP answer (404) is an answer
        return "no repositories yet"
    probe = url + urllib.parse.quote(repo) + "/info/refs?service=git-upload-pack"
    with opener.open(probe, timeout=10) as response:
        response.read()
        kind = response.headers.get("Content-Type", "")
        if kind != "application/x-git-upload-pack-advertisement":
            raise RuntimeError(f"{probe} answered Content-Type {kind!r}, not a smart-HTTP advertisement")
    return f"smart HTTP answers for {repo}"


def main():
    root, addr, port = os.path.realpath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    backend = Backend(root)
    Handler.backend = backend
    try:
        server = Server((addr, port), Handler)
    except OSError as e:
        backend.stop()
        log(f"cannot listen on {addr}:{port}: {e}")
        return 1
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    url = f"http://{addr}:{server.server_address[1]}/"
    status = 0
    try:
        how = check(url, root)
        log(f"serving {root} ({how})")
        print(f"git host: {url}", flush=True)
        while not stop.wait(1):
            pass
        log("stopping")
    except Exception as e:  # the check failed: say why, and stop like on a signal
        log(f"{url} does not answer as a Git host: {e}")
        status = 1
    server.shutdown()
    backend.stop()
    server.server_close()
    thread.join()
    return status


if __name__ == "__main__":
    sys.exit(main())
