#!/usr/bin/env python3
"""The echo benchmark: is an instrument that records every call as fast as the bare server it
imitates? Runs each load (echo_load: l1 ping-pong, l2 pipelined, busy) against epollscope's
engine and each baseline server in interleaved pairs (epollscope, bare, epollscope, libevent,
..., the order alternating so neither side always goes first), a fresh server process per run,
then prints medians (min-max), the ratios epollscope/baseline (the median of the per-pair
ratios), system calls per echoed message (a separate run under strace -c with a fixed number
of messages) and epollscope's dropped-event counts. Every echoed byte is verified; any
failure ends the run with exit 1. See README.md beside this file."""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from echo_procs import (RUNTIME_CALLS, BenchError, Server, busy_rate_from_csv,  # noqa: E402
                        busy_rate_perf, count_syscalls, count_syscalls_perf, perf_works,
                        run_load, strace_works)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
# epollscope configured as the bare server is written: ET everywhere, accept and read until
# EAGAIN, write at once with EPOLLOUT only while output is pending, 64 KiB reads.
EPOLLSCOPE_ET = ["--conn-trigger", "et", "--listen-trigger", "et", "--accept", "drain",
                 "--read", "drain", "--write", "direct", "--read-chunk", "65536"]
# The busy loop: level-triggered with EPOLLOUT always registered, as `echo_bare --busy`.
EPOLLSCOPE_BUSY = ["--conn-trigger", "lt", "--listen-trigger", "lt", "--accept", "drain",
                   "--read", "drain", "--write", "always", "--read-chunk", "65536"]
LOADS = {"l1": "50 connections x 64 B ping-pong", "l2": "10 connections x 4 KiB, 16 in flight",
         "busy": "1 idle connection, LT + EPOLLOUT always"}
SYSCALL_MESSAGES = {"l1": 20000, "l2": 20000}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=3, help="rounds of interleaved pairs (3)")
    p.add_argument("--seconds", type=float, default=4.0, help="seconds per run (4)")
    p.add_argument("--loads", default="l1,l2,busy", help="comma-separated: l1,l2,busy")
    p.add_argument("--quick", action="store_true",
                   help="1 round of 1 s runs and short strace counts: proves the harness")
    p.add_argument("--no-syscalls", action="store_true", help="skip the system call counts")
    p.add_argument("--no-perf", action="store_true",
                   help="do not use perf stat (strace counts only; busy figures self-counted)")
    p.add_argument("--bin-dir", default=os.path.join(REPO, "build/release/tests/bench/echo"))
    p.add_argument("--epollscope", default=os.path.join(REPO, "build/release/app/epollscope"))
    args = p.parse_args()
    args.loads = [name for name in args.loads.split(",") if name]
    for name in args.loads:
        if name not in LOADS:
            p.error(f"unknown load {name!r} (l1, l2, busy)")
    args.syscall_messages = dict(SYSCALL_MESSAGES)
    if args.quick:
        args.rounds, args.seconds = 1, 1.0
        args.syscall_messages = {"l1": 2000, "l2": 2000}
    return args


def untraced_refusal(epollscope):
    """None when this epollscope takes --untraced, else why not (it is new on main)."""
    server = Server("epollscope --untraced", [epollscope, "--headless", "--port", "0", "--untraced"])
    try:
        server.start()
        server.stop()
        return None
    except BenchError as error:
        return str(error).splitlines()[0][:200]


def echo_servers(args, notes):
    """{name: argv} of the servers the echo loads compare, epollscope first."""
    eps = [args.epollscope, "--headless", "--port", "0"] + EPOLLSCOPE_ET
    servers = {"epollscope": eps}
    refusal = untraced_refusal(args.epollscope)
    if refusal is None:
        servers["untraced"] = eps + ["--untraced"]
    else:
        notes.append(f"epollscope --untraced skipped: {refusal}")
    for name, package in (("bare", None), ("libevent", "libevent-dev"), ("libuv", "libuv1-dev")):
        path = os.path.join(args.bin_dir, f"echo_{name}")
        if os.access(path, os.X_OK):
            servers[name] = [path, "--port", "0"]
        elif package:
            notes.append(f"{name} baseline skipped: {path} was not built ({package} was missing "
                         "when cmake configured)")
        else:
            raise BenchError(f"{path} is missing: build the echo_bench target first")
    return servers


def busy_server_table(args, servers):
    """The busy load's servers: epollscope and the bare server spinning; epollscope untraced
    too when perf counts the wakeups (it has no trace to count them from)."""
    eps = [args.epollscope, "--headless", "--port", "0"] + EPOLLSCOPE_BUSY
    table = {"epollscope": eps}
    if "untraced" in servers and args.perf:
        table["untraced"] = eps + ["--untraced"]
    table["bare"] = [os.path.join(args.bin_dir, "echo_bare"), "--port", "0", "--busy"]
    return table


class Results:
    """Every run's figure, by load and server, and the paired ratios."""

    def __init__(self):
        self.values, self.ratios, self.dropped, self.notes = {}, {}, {}, []
        self.verified_bytes, self.runs = 0, 0
        self.busy_covered = []  # (seconds the CSV covered, events dropped), without perf

    def add(self, load, name, value):
        self.values.setdefault(load, {}).setdefault(name, []).append(value)


def one_run(args, results, load, name, argv):
    """A fresh server, one timed load, the server stopped; returns the figure."""
    load_bin = os.path.join(args.bin_dir, "echo_load")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "busy.csv" if name == "epollscope" else "busy.json")
        self_counted = load == "busy" and not args.perf
        if self_counted and name != "untraced":
            argv = argv + (["--csv-out", out] if name == "epollscope" else ["--wakeups-out", out])
        server = Server(name, argv).start()
        try:
            if load == "busy" and args.perf:
                rate, figures = busy_rate_perf(server, load_bin, args.seconds)
            else:
                figures = run_load(load_bin, server.port, load, seconds=args.seconds)
        finally:
            server.stop()
        results.runs += 1
        results.verified_bytes += figures["bytes_verified"]
        if name == "epollscope":
            results.dropped.setdefault(load, []).append(server.dropped_events())
        if load != "busy":
            return figures["messages_per_s"]
        if not self_counted:
            return rate
        if name != "epollscope":
            with open(out) as f:
                return json.load(f)["wakeups_per_s"]
        rate, covered = busy_rate_from_csv(out)
        # A dropped event may have been an epoll_wait: the figure is a lower bound.
        results.busy_covered.append((covered, server.dropped_events()))
        return rate


def run_pairs(args, results, load, servers):
    """R rounds of (epollscope, baseline) pairs, alternating which one goes first."""
    baselines = [n for n in servers if n != "epollscope"]
    for r in range(args.rounds):
        for j, base in enumerate(baselines):
            order = ["epollscope", base] if (r + j) % 2 == 0 else [base, "epollscope"]
            got = {}
            for name in order:
                got[name] = one_run(args, results, load, name, servers[name])
                results.add(load, name, got[name])
            if got[base] > 0:
                results.ratios.setdefault(load, {}).setdefault(base, []).append(
                    got["epollscope"] / got[base])
            print(f"  {load} round {r + 1}: " + ", ".join(f"{n} {got[n]:,.0f}" for n in order),
                  file=sys.stderr, flush=True)


def with_server(name, argv, work):
    """Runs work(server) against a fresh server, which is stopped (and checked) after."""
    server = Server(name, argv).start()
    try:
        return work(server)
    finally:
        server.stop()


def count_all_syscalls(args, servers, load):
    """{server: SyscallRow}: strace's counts (with the calls' names) and, where perf works,
    the same fixed number of messages counted without ptrace."""
    load_bin, messages = os.path.join(args.bin_dir, "echo_load"), args.syscall_messages[load]
    rows = {}
    for name, argv in servers.items():
        counts, echoed = with_server(name, argv,
                                     lambda s: count_syscalls(s, load_bin, load, messages))
        total = sum(counts.values())
        io = sum(n for call, n in counts.items() if call not in RUNTIME_CALLS)
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:6]
        row = {"strace": (total / echoed, io / echoed),
               "top": ", ".join(f"{call} {n / echoed:.2f}" for call, n in top)}
        if args.perf:
            p_total, p_io, p_echoed = with_server(
                name, argv, lambda s: count_syscalls_perf(s, load_bin, load, messages))
            row["perf"] = (p_total / p_echoed, None if p_io is None else p_io / p_echoed)
        rows[name] = row
    return rows


def spread(values):
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}-{max(values):,.0f})"


def ratio_spread(values):
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def report_load(load, results, syscalls, args):
    unit = "wakeups/s" if load == "busy" else "messages/s"
    print(f"\n== {load}: {LOADS[load]} -- {unit}, median (min-max)")
    for name, values in results.values.get(load, {}).items():
        extra = ""
        if load == "l2":
            extra = f"   {statistics.median(values) * 4096 / 1e6:,.1f} MB/s"
        print(f"  {name:<11} {spread(values):<34} n={len(values)}{extra}")
    for base, values in results.ratios.get(load, {}).items():
        label = "traced/untraced" if base == "untraced" else f"epollscope/{base}"
        print(f"  ratio {label:<22} {ratio_spread(values)}   (median of {len(values)} pairs)")
    drops = results.dropped.get(load, [])
    if drops:
        print(f"  epollscope events dropped per run: median {statistics.median(drops):,.0f}, "
              f"max {max(drops):,}")
    if syscalls:
        report_syscalls(load, syscalls, args)


def report_syscalls(load, syscalls, args):
    print(f"  system calls per echoed message, {args.syscall_messages[load]:,} messages "
          f"('no rt': without {', '.join(sorted(RUNTIME_CALLS))}):")
    print(f"    {'':<11} {'strace -f -c':>16}  {'perf stat':>16}   strace's largest")
    print(f"    {'':<11} {'total':>7} {'no rt':>8}  {'total':>7} {'no rt':>8}")
    for name, row in syscalls.items():
        s_total, s_io = row["strace"]
        p_total, p_io = row.get("perf", (None, None))
        fmt = lambda v: f"{v:.2f}" if v is not None else "-"
        print(f"    {name:<11} {s_total:7.2f} {s_io:8.2f}  {fmt(p_total):>7} {fmt(p_io):>8}   "
              f"[{row['top']}]")


def prepare(args, results):
    """Which servers run, and whether perf and strace can count here; (echo, busy) tables."""
    servers = echo_servers(args, results.notes)
    args.perf = not args.no_perf and perf_works()
    if not args.perf:
        results.notes.append("perf stat cannot count tracepoints here (or --no-perf): "
                             "strace's counts only, busy figures counted by each server")
    args.strace = not args.no_syscalls and strace_works()
    if not args.no_syscalls and not args.strace:
        results.notes.append("strace cannot trace here (ptrace refused?): no system call counts")
    return servers, busy_server_table(args, servers)


def print_notes(args, results):
    for note in dict.fromkeys(results.notes):
        print(f"note: {note}")
    if results.busy_covered:
        covered = [c for c, _ in results.busy_covered]
        print(f"note: without perf, epollscope's busy figure counts epoll_wait in its CSV, which "
              f"covered {min(covered):.2f}-{max(covered):.2f} s of each {args.seconds:g} s run; "
              f"with events dropped (up to {max(d for _, d in results.busy_covered):,}) it is a "
              "lower bound")
    elif "busy" in args.loads:
        print("note: busy figures are epoll_wait calls counted by perf stat over the load's "
              "seconds, the same way for every server")


def main():
    args = parse_args()
    results = Results()
    started = time.monotonic()
    print("epollscope knobs: " + " ".join(EPOLLSCOPE_ET) + " (as echo_bare); busy: "
          + " ".join(EPOLLSCOPE_BUSY) + " (as echo_bare --busy)")
    print(f"{args.rounds} rounds, {args.seconds:g} s per run, loads {','.join(args.loads)}",
          flush=True)
    syscalls = {}
    try:
        servers, busy_servers = prepare(args, results)
        for load in args.loads:
            print(f"running {load} ...", file=sys.stderr, flush=True)
            run_pairs(args, results, load, busy_servers if load == "busy" else servers)
            if load != "busy" and args.strace:
                syscalls[load] = count_all_syscalls(args, servers, load)
    except BenchError as error:
        print(f"run_echo_bench: FAILED: {error}", file=sys.stderr)
        return 1
    for load in args.loads:
        report_load(load, results, syscalls.get(load), args)
    print()
    print_notes(args, results)
    print(f"every echoed byte verified: {results.verified_bytes:,} bytes over {results.runs} runs "
          f"({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
