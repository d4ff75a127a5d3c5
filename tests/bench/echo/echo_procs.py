"""Processes of the echo benchmark: a server started fresh for each run (its port read from the
`listening on 127.0.0.1:PORT` first line), the load generator, strace's call counts, and
epollscope's busy figure read from its CSV. Used by run_echo_bench.py; benchmark-only."""

import json
import os
import re
import select
import signal
import subprocess
import tempfile
import time

STARTUP_BOUND_S = 30    # a server that prints no port by then is broken
EXIT_BOUND_S = 120      # epollscope may hold millions of events when SIGTERM comes
STRACE_ATTACH_BOUND_S = 30
# Calls a language runtime makes for itself, not the server's I/O: the figure without them.
RUNTIME_CALLS = {"futex", "mmap", "munmap", "mremap", "madvise", "mprotect", "brk"}
# The same calls by number for perf's filter; x86_64 only (numbers differ per architecture).
RUNTIME_CALL_IDS_X86_64 = {"futex": 202, "mmap": 9, "munmap": 11, "mremap": 25, "madvise": 28,
                           "mprotect": 10, "brk": 12}
PERF_INTERVAL_MS = 100
DROPPED_RE = re.compile(r"(\d+) events dropped")


class BenchError(Exception):
    """A run that failed: a byte differed, a server did not start or exit cleanly."""


class Server:
    """One server process, started by start() and ended by stop() (SIGTERM, then a bounded
    wait). stderr goes to a file, so a chatty server can never block on a full pipe."""

    def __init__(self, name, argv):
        self.name, self.argv = name, argv
        self.proc, self.port, self.stderr_text = None, None, ""
        self._stderr = tempfile.TemporaryFile(mode="w+")

    def start(self):
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=self._stderr,
                                     stdin=subprocess.DEVNULL, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], STARTUP_BOUND_S)
        line = self.proc.stdout.readline() if ready else ""
        match = re.match(r"listening on 127\.0\.0\.1:(\d+)$", line.strip())
        if not match:
            self.stop(check=False)
            raise BenchError(f"{self.name}: no 'listening on 127.0.0.1:PORT' line "
                             f"(got {line.strip()!r}); stderr: {self.stderr_text.strip()[:400]}")
        self.port = int(match.group(1))
        return self

    def stop(self, check=True):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=EXIT_BOUND_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "killed after SIGTERM was ignored"
        self.proc.stdout.close()
        self._stderr.seek(0)
        self.stderr_text = self._stderr.read()
        self._stderr.close()
        if check and rc != 0:
            raise BenchError(f"{self.name}: exit status {rc}; stderr: {self.stderr_text.strip()[-400:]}")

    def dropped_events(self):
        match = DROPPED_RE.search(self.stderr_text)
        return int(match.group(1)) if match else 0


def run_load(load_bin, port, load, seconds=None, messages=None, idle=0):
    """Runs the generator once (`idle` more connections that never send, opened first);
    returns its JSON figures or raises with its message."""
    argv = [load_bin, "--port", str(port), "--load", load]
    argv += ["--seconds", str(seconds)] if seconds else ["--messages", str(messages)]
    argv += ["--idle", str(idle)] if idle else []
    bound = (seconds or 0) + 120
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=bound)
    except subprocess.TimeoutExpired:
        raise BenchError(f"echo_load {load} on port {port}: no result after {bound} s")
    if done.returncode != 0:
        raise BenchError(f"echo_load {load}: {done.stderr.strip()} (exit {done.returncode})")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if not figures.get("verified"):
        raise BenchError(f"echo_load {load}: figures do not say verified: {done.stdout.strip()}")
    return figures


def parse_strace_summary(text):
    """{call: count} from `strace -c` output (columns: % time, seconds, usecs/call, calls,
    [errors,] syscall)."""
    counts = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) in (5, 6) and fields[-1] != "total" and fields[3].isdigit():
            try:
                float(fields[0])
            except ValueError:
                continue
            counts[fields[-1]] = counts.get(fields[-1], 0) + int(fields[3])
    return counts


def count_syscalls(server, load_bin, load, messages):
    """Attaches `strace -f -c` to the running server (all its threads), echoes a fixed number
    of messages, detaches; returns ({call: count}, messages echoed). Counting, not timing."""
    with tempfile.TemporaryDirectory() as tmp:
        out, err_path = os.path.join(tmp, "counts"), os.path.join(tmp, "stderr")
        with open(err_path, "w") as err:
            strace = subprocess.Popen(["strace", "-f", "-c", "-o", out, "-p", str(server.proc.pid)],
                                      stdout=subprocess.DEVNULL, stderr=err)
        try:
            deadline = time.monotonic() + STRACE_ATTACH_BOUND_S
            # strace 6 says "Process N attached with T threads" once all are attached.
            while "attached" not in open(err_path).read():
                if strace.poll() is not None or time.monotonic() > deadline:
                    raise BenchError(f"strace could not attach to {server.name}: "
                                     f"{open(err_path).read().strip()[:400]}")
                time.sleep(0.02)
            figures = run_load(load_bin, server.port, load, messages=messages)
        finally:
            strace.send_signal(signal.SIGINT)
            strace.wait(timeout=EXIT_BOUND_S)
        return parse_strace_summary(open(out).read()), figures["messages"]


def strace_works():
    """True when strace can trace a child here (ptrace may be refused in a container)."""
    try:
        done = subprocess.run(["strace", "-f", "-c", "-o", os.devnull, "true"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def perf_works():
    """True when `perf stat` can count the raw_syscalls tracepoint here (perf installed and
    the kernel lets this user open tracepoints)."""
    try:
        done = subprocess.run(["perf", "stat", "-x,", "-e", "raw_syscalls:sys_enter", "true"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and "raw_syscalls:sys_enter" in done.stderr


class PerfCount:
    """`perf stat` counting tracepoints in a running process (all its threads) while the body
    of a `with` runs; totals() after. Counts print every PERF_INTERVAL_MS: the first line
    says perf is attached. events: [(tracepoint, filter or None)]."""

    def __init__(self, pid, events, what):
        self.pid, self.events, self.what = pid, events, what
        self.tmp = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.tmp.name, "counts")
        self.counts = [0] * len(events)

    def __enter__(self):
        argv = ["perf", "stat", "-I", str(PERF_INTERVAL_MS), "-x,", "-o", self.out]
        for event, filt in self.events:
            argv += ["-e", event] + (["--filter", filt] if filt else [])
        self.perf = subprocess.Popen(argv + ["-p", str(self.pid)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + STRACE_ATTACH_BOUND_S
        while not os.path.exists(self.out) or "," not in open(self.out).read():
            if self.perf.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise BenchError(f"perf stat could not count {self.what}")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.perf.send_signal(signal.SIGINT)
        self.perf.wait(timeout=EXIT_BOUND_S)
        # Each interval prints one line per event, in the order given.
        lines = [l for l in open(self.out).read().splitlines() if l.strip() and l[0] != "#"]
        for i, line in enumerate(lines):
            count = line.split(",")[1]
            self.counts[i % len(self.events)] += int(count) if count.isdigit() else 0
        self.tmp.cleanup()
        return False


def count_syscalls_perf(server, load_bin, load, messages):
    """The same count without ptrace: perf on the raw_syscalls tracepoint barely slows the
    server, so its batching (events per epoll_wait, reads that find more data before EAGAIN)
    stays as in the timed runs. Returns (total, without runtime calls or None, messages)."""
    events = [("raw_syscalls:sys_enter", None)]
    filtered = os.uname().machine == "x86_64"
    if filtered:
        ids = " && ".join(f"id != {n}" for n in RUNTIME_CALL_IDS_X86_64.values())
        events.append(("raw_syscalls:sys_enter", ids))
    with PerfCount(server.proc.pid, events, f"{server.name}'s calls") as perf:
        figures = run_load(load_bin, server.port, load, messages=messages)
    return perf.counts[0], (perf.counts[1] if filtered else None), figures["messages"]


def busy_rate_perf(server, load_bin, seconds):
    """Wakeups/s of a spinning server: its epoll_wait (and epoll_pwait) calls counted by perf
    while the busy load holds its connection, over the load's measured seconds. Independent
    of what epollscope's recorder keeps or drops."""
    events = [("syscalls:sys_enter_epoll_wait", None), ("syscalls:sys_enter_epoll_pwait", None)]
    with PerfCount(server.proc.pid, events, f"{server.name}'s epoll_wait calls") as perf:
        figures = run_load(load_bin, server.port, "busy", seconds=seconds)
    return sum(perf.counts) / figures["seconds"], figures


def busy_rate_from_csv(path):
    """epollscope's busy figure: epoll_wait calls per second while the connection was open
    (from its accept4 to its close, or to the last recorded call when the recorder's cap
    dropped the rest). Returns (wakeups/s, seconds covered)."""
    waits, opened, closed, last, conn_fd = 0, None, None, None, None
    with open(path) as csv:
        header = csv.readline().strip().split(",")
        col = {name: i for i, name in enumerate(header)}
        for line in csv:
            f = line.split(",")
            call, t = f[col["call"]], float(f[col["t_us"]])
            last = t
            if call == "accept4" and opened is None and int(f[col["ret"]]) >= 0:
                opened, conn_fd = t, f[col["ret"]]
            elif opened is not None and closed is None:
                if call == "epoll_wait":
                    waits += 1
                elif call == "close" and f[col["fd"]] == conn_fd:
                    closed = t
    if opened is None:
        raise BenchError(f"epollscope busy run: no accept4 in {path}")
    seconds = ((closed if closed is not None else last) - opened) / 1e6
    return (waits / seconds if seconds > 0 else 0.0), seconds
