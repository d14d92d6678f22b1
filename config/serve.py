"""The production topology on one machine: nginx on HOST:PORT in front of gunicorn on a Unix
socket (`make serve`, which runs `python -m config.serve` after collectstatic, migrate and
load_content).

Renders config/nginx/nginx.conf into a run directory (its pid, temporary files and the
socket live there, never in /etc/nginx), starts gunicorn and nginx, waits until /healthz
answers through nginx, and stops both on Ctrl-C, on SIGTERM or when either exits. nginx runs
unprivileged: as the invoking user, or as root with its workers as www-data. `make bench`
and the cluster tests start nginx with the same functions.

    python -m config.serve                      # both, as make serve does
    python -m config.serve --upstream 10.0.0.2:8000 --upstream 10.0.0.3:8000   # nginx only
"""

import argparse
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
NGINX_DIR = BASE_DIR / "config" / "nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
MICRO_CACHE = "1s"
WORKER_USER = "www-data"  # Debian's nginx user, for nginx's workers when started as root


def nginx_binary() -> str | None:
    """nginx on the PATH, or Debian's in /usr/sbin (not on a normal user's PATH)."""
    debian = Path("/usr/sbin/nginx")
    return shutil.which("nginx") or (str(debian) if debian.exists() else None)


def has_brotli() -> bool:
    """Whether nginx can serve the .br files (Debian: libnginx-mod-http-brotli-static)."""
    return BROTLI_MODULE.exists()


def _worker_user() -> tuple[str, int] | None:
    """(name, gid) of the unprivileged user for nginx's workers, when running as root."""
    if os.geteuid() != 0:
        return None
    for name in (WORKER_USER, "nobody"):
        try:
            return name, pwd.getpwnam(name).pw_gid
        except KeyError:
            continue
    raise RuntimeError("No www-data or nobody user for nginx's workers.")


def security_headers() -> dict[str, str]:
    """The headers the site sends on every response (config/settings.py), for nginx to send."""
    from csp.utils import build_policy
    from django.conf import settings

    return {
        "Content-Security-Policy": build_policy(),
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
    }


def prepare_run_dir(run_dir: Path) -> None:
    """The run directory: the invoking user's alone; as root, its group is that of nginx's
    workers, who may enter it (to reach the socket and the directories nginx makes theirs),
    and nobody else may."""
    run_dir.mkdir(parents=True, exist_ok=True)
    worker = _worker_user()
    if worker is None:
        run_dir.chmod(0o700)
    else:
        os.chown(run_dir, 0, worker[1])
        run_dir.chmod(0o2750)


def render(
    run_dir: Path,
    *,
    listen: str,
    upstreams: list[str],
    static_root: Path,
    access_log: str = "off",
    error_log: str | None = None,
    workers: str = "auto",
) -> Path:
    """Write nginx.conf and its security-headers.conf into `run_dir`; the conf's path.

    `upstreams`: gunicorn's addresses, `unix:/path.sock` or `host:port`.
    """
    from django.conf import settings
    from django.contrib.messages.storage.cookie import CookieStorage

    prepare_run_dir(run_dir)
    headers = "".join(
        f'add_header {name} "{value}" always;\n' for name, value in security_headers().items()
    )
    (run_dir / "security-headers.conf").write_text(headers)
    worker = _worker_user()
    behind_proxy = settings.TRUSTED_PROXY_COUNT > 1  # a TLS proxy or CDN in front of nginx
    values = {
        "USER": f"user {worker[0]} {grp.getgrgid(worker[1]).gr_name};" if worker else "",
        "WORKERS": workers,
        "RUN": str(run_dir),
        "ERROR_LOG": error_log or str(run_dir / "error.log"),
        "LOAD_MODULES": f"load_module {BROTLI_MODULE};" if has_brotli() else "",
        "MIME_TYPES": str(MIME_TYPES),
        "ACCESS_LOG": access_log,
        "MICRO_CACHE": MICRO_CACHE,
        "SESSION_COOKIE": settings.SESSION_COOKIE_NAME,
        "MESSAGES_COOKIE": CookieStorage.cookie_name,
        "UPSTREAMS": "".join(
            f"        server {address} max_fails=1 fail_timeout=5s;\n" for address in upstreams
        ).rstrip("\n"),
        "LISTEN": listen,
        "NGINX_DIR": str(NGINX_DIR),
        "STATIC_ROOT": str(static_root),
        "BROTLI_STATIC": "brotli_static on;" if has_brotli() else "# no brotli module: gzip only",
        "FORWARDED_PROTO": "$http_x_forwarded_proto" if behind_proxy else "$scheme",
    }
    text = (NGINX_DIR / "nginx.conf").read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    if "@" in "".join(line.split("#")[0] for line in text.splitlines()):
        raise RuntimeError("config/nginx/nginx.conf has a placeholder serve.py does not fill.")
    conf = run_dir / "nginx.conf"
    conf.write_text(text)
    return conf


def start_nginx(conf: Path, *, log: Path | None = None) -> subprocess.Popen:
    """nginx in the foreground, in its own process group; check the config first."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx).")
    command = [binary, "-p", str(conf.parent), "-c", str(conf), "-e", "stderr"]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if checked.returncode:
        raise RuntimeError(f"nginx refused its configuration:\n{checked.stderr}")
    out = log.open("ab") if log else None
    try:
        return subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT if out else None, start_new_session=True
        )
    finally:
        if out:
            out.close()


def gunicorn_command(bind: str, *, workers: int) -> list[str]:
    """gunicorn as the production topology runs it: sync workers behind nginx.

    Its request limits are above nginx's, so a request gunicorn would refuse with its own bare
    page (no security headers) never gets past nginx.
    """
    return [
        *(sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", bind),
        *("--workers", str(workers), "--no-control-socket", "--timeout", "30"),
        *("--limit-request-line", "8190", "--limit-request-field_size", "8190"),
        *("--limit-request-fields", "32768"),
    ]


def stop(process: subprocess.Popen | None, *, sig: int = signal.SIGTERM) -> None:
    """Stop a process started in its own group, and its children (SIGKILL after 10 s)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def wait_for_socket(path: Path, process: subprocess.Popen, timeout: float = 30) -> None:
    """Until gunicorn listens on `path`, so nginx's first requests find it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with socket.socket(socket.AF_UNIX) as sock:
            try:
                sock.connect(str(path))
                return
            except OSError:
                time.sleep(0.05)
    raise RuntimeError(f"gunicorn did not listen on {path}.")


def wait_for(url: str, processes: list[subprocess.Popen], timeout: float = 30) -> None:
    """Until `url` answers 200; RuntimeError if a process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise RuntimeError(f"A server exited before {url} answered.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (ours)
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s.")


@dataclass
class Front:
    """nginx and (unless it balances other machines) this machine's gunicorn."""

    nginx: subprocess.Popen
    gunicorn: subprocess.Popen | None
    base: str

    def stop(self) -> None:
        stop(self.nginx, sig=signal.SIGQUIT)  # finish the requests it holds, then exit
        stop(self.gunicorn)


def serve(
    *,
    host: str,
    port: int,
    run_dir: Path,
    workers: int,
    upstreams: list[str] | None = None,
    access_log: str = "off",
    error_log: str | None = None,
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> Front:
    """Start gunicorn on run_dir/gunicorn.sock (unless `upstreams` are given) and nginx on
    host:port in front; return once /healthz answers through nginx."""
    from django.conf import settings

    socket_path = run_dir / "gunicorn.sock"
    conf = render(
        run_dir,
        listen=f"{host}:{port}",
        upstreams=upstreams or [f"unix:{socket_path}"],
        static_root=Path(settings.STATIC_ROOT),
        access_log=access_log,
        error_log=error_log,
    )
    gunicorn = nginx = None
    out = log.open("ab") if log else None
    try:
        if not upstreams:
            socket_path.unlink(missing_ok=True)
            gunicorn = subprocess.Popen(
                gunicorn_command(f"unix:{socket_path}", workers=workers),
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT if out else None,
                start_new_session=True,
            )
            wait_for_socket(socket_path, gunicorn)
        nginx = start_nginx(conf, log=log)
    except BaseException:
        stop(gunicorn)
        raise
    finally:
        if out:
            out.close()
    front = Front(nginx=nginx, gunicorn=gunicorn, base=f"http://{host}:{port}")
    try:
        wait_for(front.base + "/healthz", [p for p in (nginx, gunicorn) if p])
        _check_static(front.base, Path(settings.STATIC_ROOT))
    except BaseException:
        front.stop()
        raise
    return front


def _check_static(base: str, static_root: Path) -> None:
    """nginx's workers can read the collected static files (as www-data, when started as root,
    every directory above STATIC_ROOT must let others in)."""
    if not (static_root / "css" / "site.css").exists():
        return
    try:
        with urllib.request.urlopen(base + "/static/css/site.css", timeout=5):  # noqa: S310
            return
    except urllib.error.HTTPError as error:
        worker = _worker_user()
        raise RuntimeError(
            f"nginx answered {error.code} for /static/css/site.css: its workers"
            f"{f' ({worker[0]})' if worker else ''} cannot read {static_root}. Make it and "
            "every directory above it readable and searchable by them."
        ) from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
    parser.add_argument("--run-dir", type=Path, default=Path(os.environ.get("RUN_DIR", "run")))
    parser.add_argument(
        "--upstream",
        action="append",
        default=[],
        help="HOST:PORT of a gunicorn on another machine: run nginx only, balancing them",
    )
    args = parser.parse_args()
    # Behind this nginx the client's address is the last X-Forwarded-For entry; behind a CDN or
    # load balancer as well, set TRUSTED_PROXY_COUNT=2 yourself.
    os.environ.setdefault("TRUSTED_PROXY_COUNT", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    def stop_on_signal(signum, frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a background job ignores it
        signal.signal(signum, stop_on_signal)
    run_dir = args.run_dir.resolve()
    try:
        front = serve(
            host=args.host,
            port=args.port,
            run_dir=run_dir,
            workers=args.workers,
            upstreams=args.upstream,
            access_log="/dev/stdout",
            error_log="stderr",
        )
    except RuntimeError as error:
        print(f"make serve: {error}", file=sys.stderr)
        return 1
    where = "gunicorn on " + (", ".join(args.upstream) or str(run_dir / "gunicorn.sock"))
    print(f"Serving on {front.base}/ (nginx; {where}). Ctrl-C stops both.", flush=True)
    if not has_brotli():
        print(
            "nginx has no brotli module: static files go out gzipped only "
            "(Debian: apt-get install libnginx-mod-http-brotli-static).",
            flush=True,
        )
    try:
        while True:
            servers = [front.nginx, front.gunicorn]
            if any(server is not None and server.poll() is not None for server in servers):
                print("make serve: a server exited; stopping the other.", file=sys.stderr)
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping nginx and gunicorn…", flush=True)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut this short
            signal.signal(signum, signal.SIG_IGN)
        front.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
