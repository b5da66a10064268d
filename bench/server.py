"""A gunicorn the bench scripts start on 127.0.0.1 (bench_catalogue.py, bench_results.py): a free port, the
script's own WSGI entry point (its URLs: the portal's plus its floors), the test settings with DEBUG=False from the
script's environment, and a wait for `/healthz` before the first request.

    with Server("bench.bench_results:wsgi_app()", workers=2) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port)

Nothing here times out into a crash of the run but the start itself (60 s for `/healthz`): the load and what it
answered are the caller's to count and report.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A port nothing listens on now: a gunicorn left over or another bench cannot answer for ours."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving `app` while the `with` block runs; `threads` > 1 selects the gthread worker class, else
    gunicorn's default sync workers (the README's production command)."""

    def __init__(self, app: str, *, workers: int, threads: int = 1, port: int = 0, env: dict | None = None):
        self.app, self.workers, self.threads = app, workers, threads
        self.port = port or free_port()
        self.env = {**os.environ, "DEBUG": "False", **(env or {})}
        self.process = None

    @property
    def worker_class(self) -> str:
        return "gthread" if self.threads > 1 else "sync"

    def describe(self) -> dict:
        return {"workers": self.workers, "threads": self.threads, "worker_class": self.worker_class, "port": self.port}

    def __enter__(self):
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        args = [
            gunicorn,
            self.app,
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            f"--worker-class={self.worker_class}",
            "--backlog=256",
            "--log-level=warning",
            "--timeout=120",
        ]
        if self.threads > 1:
            args.append(f"--threads={self.threads}")
        self.process = subprocess.Popen(args, cwd=BASE_DIR, env=self.env)  # noqa: S603 (our own gunicorn)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
