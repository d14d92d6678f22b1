"""The production topologies on this machine, for `make test-cluster` (tests/cluster/ runs only
with `pytest --cluster`):

- `cluster`: several machines. PostgreSQL (.ci/with-postgres), Debian's redis-server, two
  gunicorn nodes on two ports (each with its own rate-limit file, as two machines would have)
  and nginx balancing them.
- `front`: one machine, as `make serve` runs it: nginx in front of gunicorn on a Unix socket.

Both run with debug off on the collected static files. A missing service fails the run:
nothing here is ever skipped.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config import serve
from tests import servers
from tests.reliability.conftest import SiteDatabase, _postgres_url

SECRET_KEY = "cluster-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789"
STAFF = ("author", "a long enough passphrase 7")
SETUP_TIMEOUT = 120


def need(program: str, package: str) -> None:
    if not (shutil.which(program) or Path(f"/usr/sbin/{program}").exists()):
        pytest.fail(f"make test-cluster needs {program}: apt-get install {package}")


def site_env(database: SiteDatabase, **extra: str) -> dict[str, str]:
    """A production environment for a node (debug off), with the answer limits off: their own
    tests are elsewhere, and here they would only hide what the topology does."""
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
        },
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "false",
        "DATABASE_URL": database.url,
        "TRUSTED_PROXY_COUNT": "1",
        "ANSWER_RATE_LIMIT": "off",
        "ANSWER_RATE_LIMIT_PER_IP": "off",
        "NEW_LEARNER_RATE_LIMIT": "off",
        **extra,
    }
    return env


@pytest.fixture(scope="session")
def workdir() -> Iterator[Path]:
    """A directory nginx's workers (www-data, when the tests run as root) can enter."""
    path = Path(tempfile.mkdtemp(prefix="sa-cluster-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def cluster_database(django_db_blocker) -> Iterator[SiteDatabase]:
    """A fresh PostgreSQL database with the schema, the shipped content and a staff author."""
    if connection.vendor != "postgresql":
        pytest.fail("make test-cluster runs on PostgreSQL: .ci/with-postgres sets DATABASE_URL")
    import psycopg

    with django_db_blocker.unblock():
        given = connection.get_connection_params()
    params = {k: given[k] for k in ("host", "port", "user", "password") if given.get(k)}
    name = f"{connection.settings_dict['NAME']}_cluster"[:63]
    admin = {**params, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**admin) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    database = SiteDatabase(
        url=_postgres_url(params, name), vendor="postgresql", params={**params, "dbname": name}
    )
    env = site_env(database)
    try:
        for command in (("migrate", "--noinput"), ("load_content",)):
            servers.manage(*command, env=env, timeout=SETUP_TIMEOUT)
        staff = {"DJANGO_SUPERUSER_USERNAME": STAFF[0], "DJANGO_SUPERUSER_PASSWORD": STAFF[1]}
        servers.manage(
            "createsuperuser",
            "--noinput",
            "--email",
            "author@example.com",
            env={**env, **staff},
        )
        servers.manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
        yield database
    finally:
        with psycopg.connect(**admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Node:
    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{servers.HOST}:{self.port}"


@dataclass
class Cluster:
    base: str  # nginx
    port: int
    nodes: list[Node]
    redis: servers.RedisServer
    database: SiteDatabase
    nginx_log: Path

    def node_logs(self) -> str:
        return "\n".join(node.log.read_text(errors="replace") for node in self.nodes)


@pytest.fixture(scope="session")
def cluster(cluster_database, workdir) -> Iterator[Cluster]:
    need("nginx", "nginx")
    need("redis-server", "redis-server")
    redis = servers.RedisServer(Path(tempfile.mkdtemp(prefix="sa-redis-")))
    nodes: list[Node] = []
    nginx = None
    try:
        for name in ("a", "b"):
            port = servers.free_port()
            node = Node(name=name, port=port, log=workdir / f"node-{name}.log")
            env = site_env(
                cluster_database,
                REDIS_URL=redis.url,
                RATELIMIT_DB=str(workdir / f"ratelimit-{name}.sqlite3"),
            )
            with node.log.open("wb") as out:
                node.process = serve_process(
                    serve.gunicorn_command(f"{servers.HOST}:{port}", workers=2), env, out
                )
            nodes.append(node)
        for node in nodes:
            servers.wait_until_up(node.base, node.process, node.log)
        port = servers.free_port()
        run_dir = workdir / "cluster-nginx"
        conf = serve.render(
            run_dir,
            listen=f"{servers.HOST}:{port}",
            upstreams=[f"{servers.HOST}:{node.port}" for node in nodes],
            static_root=Path(settings.STATIC_ROOT),
            error_log=str(run_dir / "error.log"),
        )
        nginx = serve.start_nginx(conf)
        base = f"http://{servers.HOST}:{port}"
        serve.wait_for(base + "/healthz", [nginx])
        yield Cluster(
            base=base,
            port=port,
            nodes=nodes,
            redis=redis,
            database=cluster_database,
            nginx_log=run_dir / "error.log",
        )
    finally:
        serve.stop(nginx)
        for node in nodes:
            servers.stop(node.process)
        redis.stop()
        shutil.rmtree(redis.directory, ignore_errors=True)


def serve_process(command: list[str], env: dict[str, str], out) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=servers.BASE_DIR,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@dataclass
class Front:
    base: str
    port: int
    log: Path
    nginx_log: Path


@pytest.fixture(scope="session")
def front(cluster_database, workdir) -> Iterator[Front]:
    """One machine as `make serve` runs it: nginx on a port, gunicorn on a Unix socket."""
    need("nginx", "nginx")
    port = servers.free_port()
    run_dir = workdir / "front"
    log = workdir / "front.log"
    env = site_env(cluster_database, RATELIMIT_DB=str(workdir / "ratelimit-front.sqlite3"))
    started = serve.serve(
        host=servers.HOST,
        port=port,
        run_dir=run_dir,
        workers=2,
        error_log=str(run_dir / "error.log"),
        log=log,
        env=env,
    )
    try:
        yield Front(base=started.base, port=port, log=log, nginx_log=run_dir / "error.log")
    finally:
        started.stop()
