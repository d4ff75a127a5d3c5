#!/usr/bin/env python3
"""echo_load must catch a server that echoes wrong bytes: a flipped byte, a message from an
earlier offset of the same connection, a message from another connection at the same offset,
and a connection closed early. Each case runs echo_load against a deliberately faulty echo
server (threads, blocking sockets, loopback) and expects exit 1 with a message naming the
connection and what went wrong; a correct echo from the same server must pass (exit 0).
Usage: detection_test.py ECHO_LOAD"""

import socket
import subprocess
import sys
import threading

MSG = 64           # l1's message size
BAD_MESSAGE = 5    # the message a faulty mode damages (0-based), on connection 1
WAIT_S = 20        # bound for a peer connection's message to arrive


class FaultyServer:
    """Echoes 64-byte messages; on connection 1 (accept order = the generator's connection
    index, it connects one by one) message BAD_MESSAGE goes wrong as `mode` says."""

    def __init__(self, mode):
        self.mode, self.seen, self.cond = mode, {}, threading.Condition()
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        index = 0
        while True:
            conn, _ = self.sock.accept()
            threading.Thread(target=self.serve, args=(conn, index), daemon=True).start()
            index += 1

    def message_of(self, conn_index, number):
        with self.cond:
            self.cond.wait_for(lambda: (conn_index, number) in self.seen, timeout=WAIT_S)
            return self.seen[(conn_index, number)]

    def serve(self, conn, index):
        try:
            with conn:
                self.echo(conn, index)
        except OSError:
            pass  # the generator exits (and resets its connections) once it has seen a fault

    def echo(self, conn, index):
        number, pending = 0, b""
        while True:
            data = conn.recv(65536)
            if not data:
                return
            pending += data
            while len(pending) >= MSG:
                msg, pending = pending[:MSG], pending[MSG:]
                with self.cond:
                    self.seen[(index, number)] = msg
                    self.cond.notify_all()
                if index == 1 and number == BAD_MESSAGE:
                    msg = self.damage(msg, number)
                    if msg is None:
                        return
                conn.sendall(msg)
                number += 1

    def damage(self, msg, number):
        if self.mode == "flip":
            return msg[:10] + bytes([msg[10] ^ 0x20]) + msg[11:]
        if self.mode == "stale":
            return self.message_of(1, number - 1)
        if self.mode == "cross":
            return self.message_of(0, number)
        if self.mode == "close":
            return None
        return msg


CASES = {  # mode: (expected exit, words the message must contain)
    "none": (0, []),
    "flip": (1, ["connection 1", f"byte {BAD_MESSAGE * MSG + 10} of the stream"]),
    "stale": (1, ["connection 1", "of the stream"]),
    "cross": (1, ["connection 1", "of the stream"]),
    "close": (1, ["connection 1", "closed it"]),
}


def main():
    load_bin = sys.argv[1]
    failures = []
    for mode, (want_rc, words) in CASES.items():
        server = FaultyServer(mode)
        done = subprocess.run([load_bin, "--port", str(server.port), "--load", "l1",
                               "--messages", str(50 * (BAD_MESSAGE + 3))],
                              capture_output=True, text=True, timeout=120)
        text = done.stderr.strip()
        ok = done.returncode == want_rc and all(w in text for w in words)
        print(f"{mode}: exit {done.returncode} {text!r} -> {'ok' if ok else 'WRONG'}")
        if not ok:
            failures.append(f"{mode}: expected exit {want_rc} with {words}, got "
                            f"{done.returncode}: {text!r}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
