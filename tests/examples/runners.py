"""Run the lessons' server examples: Django views in a test URLconf, Express apps under Node."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import types
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.test import Client
from django.urls import include, path
from django.utils.http import http_date

from tests.examples.exchange import Actual, Request
from tests.examples.lessons import Block, blocks, chain

NODE_DIR = Path(__file__).resolve().parent / "node"
# The webhook secret the Express examples get (tests/examples/node/fixtures.js sets the same).
STRIPE_WEBHOOK_SECRET = "whsec_lesson_examples"
PACKAGE = "tests.examples.django_app"

# The MIDDLEWARE of a new `django-admin startproject`, in its order.
DEFAULT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "django_app" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]


def missing_tool(message: str) -> None:
    """Fail in CI (where every tool must be installed), skip on a developer's machine."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# Django ---------------------------------------------------------------------------------


def django_settings(block: Block) -> dict:
    """Django's default middleware and settings, plus what the example's annotation adds."""
    values = {
        "MIDDLEWARE": DEFAULT_MIDDLEWARE
        + [f"{module_name(block)}.{m}" for m in block.all("middleware")],
        "ALLOWED_HOSTS": ["*"],
        "TEMPLATES": TEMPLATES,
        "AUTHENTICATION_BACKENDS": ["django.contrib.auth.backends.ModelBackend"],
        "CSRF_FAILURE_VIEW": "django.views.csrf.csrf_failure",
        "LOGIN_URL": "/accounts/login/",
        "APPEND_SLASH": True,
        "DEBUG": False,
    }
    return values | extra_settings(block)


def extra_settings(block: Block) -> dict:
    """`settings="NAME=python expression"` from an annotation (repeatable)."""
    values = {}
    for assignment in block.all("settings"):
        name, _, expression = assignment.partition("=")
        values[name.strip()] = eval(expression, {})  # noqa: S307 (authored in the lesson file)
    return values


def module_name(block: Block) -> str:
    return f"{PACKAGE}.ex_{block.slug.replace('-', '_')}_{block.index}"


def load_django(block: Block) -> types.ModuleType:
    """Execute the example (with the blocks it continues) as a module of the example package.

    The module is also installed as the package's `views`, so `from . import views` and
    `from .models import Account` work as they would in an app.
    """
    import importlib

    package = importlib.import_module(PACKAGE)
    name = module_name(block)
    module = types.ModuleType(name)
    module.__package__ = PACKAGE
    module.__file__ = f"{block.file}:{block.line}"
    sys.modules[name] = module
    sys.modules[f"{PACKAGE}.views"] = module
    package.views = module
    from tests.examples.django_app.given import GIVEN

    module.__dict__.update(GIVEN)
    source = "\n".join(b.code for b in chain(block))
    exec(
        compile(source, f"learn/content/lessons/{block.file} (block {block.index})", "exec"),
        module.__dict__,
    )  # noqa: S102
    return module


def urlconf(block: Block, module: types.ModuleType) -> types.ModuleType:
    """The example's own `urlpatterns`, or one built from `urls="route view [name]; ..."`."""
    conf = types.ModuleType(f"{module.__name__}_urls")
    if hasattr(module, "urlpatterns") and not block.all("urls"):
        conf.urlpatterns = module.urlpatterns
    else:
        groups: dict[str, list] = {}
        for spec in ";".join(block.all("urls")).split(";"):
            words = spec.split()
            if not words:
                continue
            route, view, *name = words
            namespace, _, url_name = (name[0] if name else "").rpartition(":")
            target = (lambda request, **kwargs: None) if view == "-" else getattr(module, view)
            groups.setdefault(namespace, []).append(path(route, target, name=url_name or None))
        conf.urlpatterns = [
            *groups.pop("", []),
            *(path("", include((p, ns), namespace=ns)) for ns, p in groups.items()),
        ]
    sys.modules[conf.__name__] = conf
    return conf


def django_send(request: Request, *, csrf: bool = False) -> Actual:
    """Replay the lesson's request against the mounted views with Django's test client.

    With `csrf`, the request also carries a CSRF cookie and token, as a form the site served
    would; the lessons leave that pair out of their exchanges.
    """
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    headers = {}
    if csrf:
        from django.middleware.csrf import _get_new_csrf_string

        secret = _get_new_csrf_string()
        client.cookies["csrftoken"] = secret
        headers["X-CSRFToken"] = secret
    extra = {}
    for name, value in request.headers:
        lower = name.lower()
        if lower == "host":
            extra["HTTP_HOST"] = value
        elif lower not in ("content-type", "content-length"):
            headers[name] = value
    body = request.body_bytes() if (request.body or request.header("Content-Length")) else b""
    if len(body) > 50_000_000:
        body = body[:16]
    response = client.generic(
        request.method,
        request.target,
        data=body,
        content_type=request.header("Content-Type") or "application/octet-stream",
        headers=headers,
        **extra,
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = list(response.headers.items())
    if "Date" not in response.headers:  # the WSGI server in front of Django adds it
        headers.append(("Date", http_date()))
    return Actual(response.status_code, headers, content)


# Express ----------------------------------------------------------------------------------


class NodeExamples:
    """One Node process running every Express example, each on its own 127.0.0.1 port."""

    def __init__(self, process: subprocess.Popen, control: int, manifest: Path):
        self.process = process
        self.control = control
        self.manifest = manifest

    def start(
        self, block: Block, env: dict[str, str] | None = None, seed: str | None = None
    ) -> int:
        """(Re)start the example with fresh fixtures (`seed`, else its own) and `env`; the port
        it now listens on."""
        query = urllib.parse.urlencode(
            {"key": block.key, "env": json.dumps(env or {}), "seed": seed or ""}
        )
        url = f"http://127.0.0.1:{self.control}/start?{query}"
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, method="POST"), timeout=20
            ) as r:
                return json.load(r)["port"]
        except urllib.error.HTTPError as error:
            detail = json.load(error).get("error", "")
            raise AssertionError(f"{block.where}: the example did not start:\n{detail}") from None

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.manifest.unlink(missing_ok=True)


def node_packages() -> str:
    """The path of node; installs the pinned packages (npm ci) when they are missing."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if not node or not npm:
        missing_tool(
            "Node.js 20+ and npm are needed for the Express examples (apt-get install nodejs npm)"
        )
    if not (NODE_DIR / "node_modules" / ".package-lock.json").exists():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=NODE_DIR,
            check=True,
            timeout=300,
        )
    return node


def start_node() -> NodeExamples:
    node = node_packages()
    examples = []
    for block in blocks("express"):
        examples.append(
            {
                "key": block.key,
                "slug": block.slug,
                "file": block.file,
                "line": block.line,
                "code": "\n".join(b.code for b in chain(block)),
                "seed": block.get("seed"),
                "mount": block.get("mount"),
                "next": block.get("next"),
            }
        )
    handle, name = tempfile.mkstemp(prefix="express-examples-", suffix=".json")
    with os.fdopen(handle, "w") as file:
        json.dump(examples, file)
    log = tempfile.TemporaryFile(prefix="express-examples-", suffix=".log")  # noqa: SIM115
    # NODE_ENV stays unset, as on a server where nobody set it: the lessons describe that case.
    env = {k: v for k, v in os.environ.items() if k != "NODE_ENV"}
    process = subprocess.Popen(
        [node, str(NODE_DIR / "harness.js"), name],
        cwd=NODE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
    )
    line = process.stdout.readline()  # the harness prints this one line, then only logs
    if not line:
        process.kill()
        log.seek(0)
        raise RuntimeError(f"the Node harness did not start:\n{log.read().decode()[-2000:]}")
    return NodeExamples(process, json.loads(line)["control"], Path(name))


def stripe_signed(request: Request) -> Request:
    """The request with a fresh, valid Stripe-Signature for its body (`sign=stripe`).

    Stripe signs `<timestamp>.<body>` and refuses timestamps older than five minutes, so a
    signature printed in a lesson can only stand for the one the sender would compute now.
    """
    import dataclasses
    import hashlib
    import hmac
    import time

    timestamp = int(time.time())
    payload = f"{timestamp}.".encode() + request.body_bytes()
    digest = hmac.new(STRIPE_WEBHOOK_SECRET.encode(), payload, hashlib.sha256).hexdigest()
    headers = [(n, v) for n, v in request.headers if n.lower() != "stripe-signature"]
    headers.append(("Stripe-Signature", f"t={timestamp},v1={digest}"))
    return dataclasses.replace(request, headers=headers)
