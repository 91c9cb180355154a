"""An in-process SMTP server (aiosmtpd) that records accepted messages and can refuse some."""

import asyncio
import logging
import socket
import threading
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO: too chatty for tests and benchmarks.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """Accepted messages, parsed. `answers` lists replies to give before accepting (e.g. 451)."""

    def __init__(self):
        self.messages = []
        self.answers: list[str] = []
        # With hold_after = n, the message after the n-th waits in DATA until `release` is set.
        self.hold_after: int | None = None
        self.release = threading.Event()
        self.arrived = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.answers:
                return self.answers.pop(0)
            held = self.hold_after is not None and len(self.messages) >= self.hold_after
        if held:
            self.arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            if server.transport is None or server.transport.is_closing():
                return "451 client gone"  # never acknowledged, so never delivered
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self._lock:
            return [str(m["To"]) for m in self.messages]

    def wait_for(self, count: int, timeout: float = 120) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self._lock:
            return list(self.messages)


class SMTPServer:
    def __init__(self, port: int | None = None):
        self.inbox = Inbox()
        self.port = port or free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
