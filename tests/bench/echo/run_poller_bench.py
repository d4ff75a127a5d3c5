#!/usr/bin/env python3
"""poll versus epoll in epollscope's own engine (knob poller), the same clients for both: the l1
load (50 connections x 64 B ping-pong) beside N idle connections that never send. poll passes
every descriptor on every call, so its cost grows with the idle ones; epoll_wait's does not.
Interleaved pairs, a fresh server per run, the order alternating; prints each side's median
messages/s (min-max) and the median of the per-pair ratios poll/epoll. Every echoed byte is
verified. Benchmark-only: no figure here is a test's assertion. See README.md beside this file."""

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from echo_procs import BenchError, Server, run_load  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
# Level-triggered (poll has no edge trigger), drain, write at once: the same for both pollers.
KNOBS = ["--conn-trigger", "lt", "--listen-trigger", "lt", "--accept", "drain", "--read",
         "drain", "--write", "direct", "--read-chunk", "65536", "--backlog", "2048"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--idle", default="100,1000", help="comma-separated idle counts (100,1000)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved pairs per count (3)")
    p.add_argument("--seconds", type=float, default=3.0, help="seconds per run (3)")
    p.add_argument("--untraced", action="store_true", help="the engine records nothing")
    p.add_argument("--bin-dir", default=os.path.join(REPO, "build/release/tests/bench/echo"))
    p.add_argument("--epollscope", default=os.path.join(REPO, "build/release/app/epollscope"))
    args = p.parse_args()
    args.idle = [int(n) for n in args.idle.split(",") if n]
    return args


def one_run(args, poller, idle):
    argv = [args.epollscope, "--headless", "--port", "0", "--poller", poller] + KNOBS
    argv += ["--untraced"] if args.untraced else []
    server = Server(f"epollscope --poller {poller}", argv).start()
    try:
        figures = run_load(os.path.join(args.bin_dir, "echo_load"), server.port, "l1",
                           seconds=args.seconds, idle=idle)
    finally:
        server.stop()
    return figures["messages_per_s"]


def main():
    args = parse_args()
    print(f"l1 (50 x 64 B ping-pong) + idle connections, {args.rounds} pairs x {args.seconds} s, "
          f"{'untraced' if args.untraced else 'traced'}; knobs: {' '.join(KNOBS)}")
    for idle in args.idle:
        rates = {"epoll": [], "poll": []}
        ratios = []
        for round_index in range(args.rounds):
            order = ["epoll", "poll"] if round_index % 2 == 0 else ["poll", "epoll"]
            pair = {poller: one_run(args, poller, idle) for poller in order}
            for poller, rate in pair.items():
                rates[poller].append(rate)
            ratios.append(pair["poll"] / pair["epoll"])
        line = f"idle {idle:5d}:"
        for poller in ("epoll", "poll"):
            values = rates[poller]
            line += (f"  {poller} {statistics.median(values):9.0f} msg/s "
                     f"({min(values):.0f}-{max(values):.0f})")
        print(line + f"  poll/epoll {statistics.median(ratios):.3f}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"run_poller_bench: {error}", file=sys.stderr)
        sys.exit(1)
