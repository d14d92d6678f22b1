"""gunicorn (and Redis) on 127.0.0.1 for the tests and the benchmark: start, wait, stop.

Plain functions (no pytest), so `make bench` uses the same code as the reliability tests.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(
    port: int, env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 1
) -> subprocess.Popen:
    """gunicorn in its own process group (so its workers stop with it), logging to `log`."""
    command = [
        *(sys.executable, "-m", "gunicorn", "config.wsgi"),
        *("--bind", f"{HOST}:{port}", "--workers", str(workers), "--no-control-socket"),
        *("--log-level", "warning", "--timeout", "30"),
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_up(base: str, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    """Until /healthz answers 200; RuntimeError with the server's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer /healthz:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen, *, sig: int = signal.SIGTERM) -> None:
    """Stop gunicorn and its workers (SIGKILL if they take longer than 10 s)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def manage(*args: str, env: dict[str, str], check: bool = True, timeout: float = 300):
    """`manage.py <args>` in a subprocess with `env`; its output captured as text."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=check,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_redis(directory: Path) -> tuple[subprocess.Popen, str]:
    """Debian's redis-server on a unix socket in `directory` (no TCP port, nothing saved to
    disk), and its URL; RuntimeError if it does not answer within 10 s."""
    socket_path = directory / "redis.sock"
    command = [
        *("redis-server", "--port", "0", "--unixsocket", str(socket_path)),
        *("--unixsocketperm", "700", "--save", "", "--appendonly", "no"),
        *("--dir", str(directory), "--logfile", str(directory / "redis.log")),
    ]
    process = subprocess.Popen(command, cwd=directory, start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if socket_path.exists():
            with socket.socket(socket.AF_UNIX) as sock:
                try:
                    sock.connect(str(socket_path))
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return process, f"unix://{socket_path}"
                except OSError:
                    pass
        if process.poll() is not None:
            break
        time.sleep(0.05)
    stop(process)
    raise RuntimeError(f"redis-server did not start:\n{_tail(directory / 'redis.log')}")


class RedisServer:
    """Debian's redis-server on a unix socket in `directory`, which a test may stop and start
    again (the same socket, so the same URL)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.process, self.url = start_redis(directory)

    def stop(self) -> None:
        stop(self.process)

    def start(self) -> None:
        self.process, _ = start_redis(self.directory)


def _tail(path: Path) -> str:
    return path.read_text()[-2000:] if path.exists() else "(no log)"
