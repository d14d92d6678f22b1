"""Run the benchmark: a fresh database, gunicorn on 127.0.0.1, wrk against each page; then
nginx in front of gunicorn as `make serve` runs it, and the content pages through it.

Everything it starts it stops, every step has a time limit, and it never sends a request
anywhere but 127.0.0.1. Throughput is reported as a ratio to a static file served by the
same server (whitenoise's through gunicorn, nginx's through nginx), so a busy shared machine
moves both figures together.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests import servers

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LUA = Path(__file__).with_name("wrk.lua")
HOST = "127.0.0.1"
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
WARMUP_SECONDS = 1
REFERENCE_SECONDS = 2
CLIENTS = 32
FEW_CLIENTS = 4  # an extra answer run: latency without 32 requests queueing for 2 workers
WORKERS = os.environ.get("WORKERS", "2")
ACCEPT = "gzip, br"
FIRST_LOAD_LIMIT = 60 * 1024
CONTENT_RATIO_TARGET = 0.65  # home, lesson, code ÷ the static file
PERSONAL_RATIO_TARGET = 0.25  # a learner's own pages ÷ the static file
NGINX_RATIO_TARGET = 0.8  # content pages through nginx (micro-cache warm) ÷ nginx's static file
ANSWER_FLOOR_RATIO_TARGET = 0.6  # answer POST req/s ÷ the write floor's
ANSWER_P99_FLOOR_TARGET = 1.5  # answer POST p99 ÷ the write floor's p99
ANSWER_QUERIES_TARGET = 10
FIRST_VIEWS = int(os.environ.get("BENCH_FIRST_VIEWS", "40"))  # /progress/ views after an answer
PERSONAL = (
    "quiz question",
    "review",
    "lesson, learner (check yourself)",
    "interview",
    "interview drill",
)


@dataclass
class Page:
    name: str
    path: str
    cookie: str = ""
    post_targets: Path | None = None
    clients: int = CLIENTS
    capacity: int = 0  # answers the targets file holds: every POST must be a new one
    result: dict = field(default_factory=dict)
    wire_bytes: int = 0
    first_load: int = 0
    queries: str = ""
    writes: int = 0
    reference: float = 0.0  # the static file's req/s measured around this page
    floor: dict = field(default_factory=dict)  # the write floor's wrk summary around an answer run

    @property
    def ratio(self) -> float:
        return rate(self.result) / self.reference


def environment(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_HTTPS": "false",
        # `make bench-postgres` gives a throwaway PostgreSQL (.ci/with-postgres); else SQLite.
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}",
        # The answer limits (config/ratelimit.py) would throttle 32 clients posting flat out.
        "ANSWER_RATE_LIMIT": "off",
        "ANSWER_RATE_LIMIT_PER_IP": "off",
    }


def fetch(url: str, cookie: str = "") -> tuple[int, bytes, dict]:
    """One GET as a browser makes it (compressed); the body as it came over the wire."""
    headers = {"Accept-Encoding": ACCEPT}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (127.0.0.1)
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def wrk(
    url: str, *, seconds: int, cookie: str = "", targets: Path | None = None, clients: int = CLIENTS
) -> dict:
    """Drive `url` for `seconds` with `clients` connections; wrk's summary as a dict.

    Posting, each connection has its own wrk thread, so it posts its own learner's answers.
    """
    threads = clients if targets else 2
    command = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--timeout", "5s"]
    command += ["-s", str(LUA), "-H", f"Accept-Encoding: {ACCEPT}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(url)
    if targets:
        command += ["--", str(targets)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line.removeprefix("BENCH "))
    raise SystemExit(f"wrk gave no summary for {url}:\n{done.stdout}\n{done.stderr}")


def subresources(html: str) -> list[str]:
    """Stylesheets, scripts and icons a first visit downloads."""
    pattern = r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"'
    return list(dict.fromkeys(re.findall(pattern, html)))


def wire_sizes(base: str, page: Page) -> None:
    """The page's compressed size, and with everything it loads, a first visit's."""
    status, body, headers = fetch(base + page.path, page.cookie)
    page.wire_bytes = len(body)
    if page.post_targets or page.name == "static (htmx)":
        page.first_load = page.wire_bytes
        return
    html = fetch_text(base + page.path, page.cookie)
    page.first_load = page.wire_bytes + sum(len(fetch(base + url)[1]) for url in subresources(html))


def fetch_text(url: str, cookie: str) -> str:
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (127.0.0.1)
        return response.read().decode()


def count_queries(pages: list[Page], fixtures: dict) -> list[str]:
    """Queries per page, run in this process against the bench database.

    Pages are counted cold (empty cache) and warm; a write on a GET is flagged. An answer is
    counted after its question's page was shown, as it is on the site.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    notes = []
    for page in pages:
        if page.name == "static (htmx)":
            page.queries = "0"
            continue
        client = Client(HTTP_HOST=HOST)
        cookie = fixtures["spare_cookie"] if page.post_targets else page.cookie
        if cookie:
            for part in cookie.split("; "):
                name, _, value = part.partition("=")
                client.cookies[name] = value
        counts = []
        for _ in range(2):
            if page.post_targets:
                path, body = fixtures["spare_answers"].pop(0)
                client.get(path)  # as a learner does: the question is on screen before the answer
                request = lambda c=client, p=path, b=body: c.post(  # noqa: E731
                    p, b, content_type="application/x-www-form-urlencoded", HTTP_HX_REQUEST="true"
                )
            else:
                request = lambda c=client, p=page.path: c.get(p)  # noqa: E731
            if not counts:
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = request()
            if response.status_code >= 400:
                notes.append(f"{page.name}: the query count request got {response.status_code}")
            counts.append(len(captured))
            if not page.post_targets:
                page.writes += sum(
                    1
                    for query in captured.captured_queries
                    if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
                )
        page.queries = f"{counts[0]}" if counts[0] == counts[1] else f"{counts[0]}/{counts[1]}"
    return notes


def prepare(env: dict[str, str], tmp: Path) -> tuple[list[Page], dict]:
    """Migrate, load the content, collect static files, and make the learners."""
    servers.manage("migrate", "--noinput", "--verbosity", "0", env=env)
    servers.manage("load_content", env=env)
    servers.manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from quiz.models import Answer, Question
    from quiz.progress.models import ReviewCard
    from tests.bench import fixtures, floor_urls

    floor_urls.ensure_table()  # the write floor's table, in the same database

    heavy = fixtures.learner_with_history(1000)
    light = fixtures.learner_with_history(10, per_attempt=10)
    heavy_browser = fixtures.browser_for(heavy)
    light_browser = fixtures.browser_for(light)
    attempt = fixtures.open_attempt(heavy)
    lines, _ = fixtures.answer_targets(CLIENTS, attempts_each=2)
    targets = tmp / "answers.tsv"
    targets.write_text("\n".join(lines) + "\n")
    few_lines, _ = fixtures.answer_targets(FEW_CLIENTS, attempts_each=2)
    few_targets = tmp / "answers-few.tsv"
    few_targets.write_text("\n".join(few_lines) + "\n")
    # The write floor's posts: the same browsers (session, CSRF cookie and token), one per client.
    floor_lines = [
        "\t".join([line.split("\t")[0], "/write-floor", *line.split("\t")[2:4], "x=1"])
        for line in lines
    ]
    floor_targets = tmp / "write-floor.tsv"
    floor_targets.write_text("\n".join(floor_lines) + "\n")
    after = fixtures.open_attempt(heavy)
    spare = fixtures.open_attempt(heavy)
    kinds = dict(Question.objects.values_list("id", "type"))
    extra = {
        "spare_answers": [
            (spare.question_url(n), fixtures.ANSWER_BODY[kinds[pk]])
            for n, pk in enumerate(spare.question_ids[:4], start=1)
        ],
        "spare_cookie": heavy_browser.cookie,
        "light_cookie": light_browser.cookie,
        "heavy": heavy_browser,
        "floor_targets": floor_targets,
        "after_answers": [
            (after.question_url(n), fixtures.ANSWER_BODY[kinds[pk]])
            for n, pk in enumerate(after.question_ids, start=1)
        ],
        "cards": ReviewCard.objects.filter(learner=heavy).count(),
        "answers": Answer.objects.filter(attempt__learner=heavy).count(),
    }
    connection.close()
    pages = [
        Page("static (htmx)", ""),
        Page("home", "/"),
        Page("lesson", "/learn/401-vs-403/"),
        Page("code", "/codes/429/"),
        Page("codes search", "/codes/?q=gateway"),
        Page("quiz question", attempt.question_url(1), cookie=heavy_browser.cookie),
        Page("progress (1,000 answers)", "/progress/", cookie=heavy_browser.cookie),
        Page("review", "/review/", cookie=heavy_browser.cookie),
        Page("lesson, learner (check yourself)", "/learn/401-vs-403/", cookie=heavy_browser.cookie),
        Page("interview", "/interview/", cookie=heavy_browser.cookie),
        Page("interview drill", "/interview/lessons/401-vs-403/", cookie=heavy_browser.cookie),
        Page(
            f"answer POST ({FEW_CLIENTS} clients)",
            "/quiz/",
            post_targets=few_targets,
            clients=FEW_CLIENTS,
            capacity=len(few_lines),
        ),
        Page(
            f"answer POST ({CLIENTS} clients)", "/quiz/", post_targets=targets, capacity=len(lines)
        ),
    ]
    return pages, extra


def measure(base: str, pages: list[Page], floor: tuple[str, Path] | None = None) -> None:
    """Each page between two short runs of the static file: its ratio is to their mean. With
    `floor` (the floor app's base URL and its targets), each answer run of 32 clients also sits
    between two runs of the write floor, whose figures are their mean."""
    home = fetch_text(base + "/", "")
    static = pages[0]
    static.path = next(url for url in subresources(home) if "htmx" in url)
    for page in pages:
        url = base + page.path
        print(f"  {page.name:<32} {url}", flush=True)
        if page.post_targets:
            around = floor and page.clients == CLIENTS
            if around:
                first = wrk(floor[0] + "/write-floor", seconds=SECONDS, targets=floor[1])
            page.result = wrk(url, seconds=SECONDS, targets=page.post_targets, clients=page.clients)
            if around:
                second = wrk(floor[0] + "/write-floor", seconds=SECONDS, targets=floor[1])
                page.floor = mean_result(first, second)
        else:
            wrk(url, seconds=WARMUP_SECONDS, cookie=page.cookie)
            page.result = wrk(url, seconds=SECONDS, cookie=page.cookie)
            wire_sizes(base, page)
        if page is static:
            before = page.reference = rate(page.result)
            continue
        after = rate(wrk(base + static.path, seconds=REFERENCE_SECONDS))
        page.reference, before = (before + after) / 2, after


def report(
    pages: list[Page],
    notes: list[str],
    extra: dict,
    fronted: list[Page],
    render_floor: Page,
    views: FirstViews,
) -> None:
    head = (
        f"{'page':<32} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
        f"{'bytes':>7} {'1st KB':>7} {'queries':>7}"
    )
    print("\n" + head + "\n" + "-" * len(head))
    for page in pages:
        r = page.result
        errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
        print(
            f"{page.name:<32} {rate(r):>8.0f} {page.ratio:>6.2f} "
            f"{r['p50_us'] / 1000:>7.1f} {r['p99_us'] / 1000:>7.1f} {errors:>6} "
            f"{page.wire_bytes if not page.post_targets else '':>7} "
            f"{page.first_load / 1024 if not page.post_targets else 0:>7.1f} {page.queries:>7}"
        )
    print(
        "\nratio = req/s ÷ the static file's req/s, measured for "
        f"{REFERENCE_SECONDS} s just before and just after the page.\nbytes: the response body "
        f"compressed (Accept-Encoding: {ACCEPT}). 1st KB: with its CSS, JS and icon. queries: cold "
        "cache/warm when they differ."
    )
    print(
        f"{CLIENTS} connections per page (answers: as marked), {SECONDS} s each, GETs after a "
        f"{WARMUP_SECONDS} s warm-up."
    )
    head = f"{'through nginx (make serve)':<28} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} "
    head += f"{'p99 ms':>7} {'errors':>6} {'bytes':>7}"
    print("\n" + head + "\n" + "-" * len(head))
    for page in fronted:
        r = page.result
        errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
        print(
            f"{page.name:<28} {rate(r):>8.0f} {page.ratio:>6.2f} {r['p50_us'] / 1000:>7.1f} "
            f"{r['p99_us'] / 1000:>7.1f} {errors:>6} {page.wire_bytes:>7}"
        )
    nginx_static, whitenoise_static = rate(fronted[0].result), rate(pages[0].result)
    print(
        f"\nratio = req/s ÷ nginx's req/s for the same static file, {REFERENCE_SECONDS} s before "
        "and after the page; pages come from nginx's micro-cache (warmed by the warm-up).\n"
        f"whitenoise through gunicorn served the static file at {whitenoise_static:.0f} req/s, "
        f"1/{nginx_static / whitenoise_static:.1f} of nginx's {nginx_static:.0f}."
    )
    for note in notes:
        print(f"note: {note}")

    by_name = {page.name: page for page in pages}
    post_page = by_name[f"answer POST ({CLIENTS} clients)"]
    post, write_floor = post_page.result, post_page.floor
    head = f"{'the floors (tests/bench/floor_urls.py)':<40} {'req/s':>8} {'p50 ms':>7} "
    head += f"{'p99 ms':>7} {'errors':>6}"
    print("\n" + head + "\n" + "-" * len(head))
    for name, result in (
        (f"write floor ({CLIENTS} clients, around the answers)", write_floor),
        (f"answer POST ({CLIENTS} clients)", post),
        (f"render floor ({CLIENTS} clients, {render_floor.wire_bytes} B)", render_floor.result),
        ("progress, nothing changed", by_name["progress (1,000 answers)"].result),
    ):
        print(
            f"{name:<40} {rate(result):>8.0f} {result['p50_us'] / 1000:>7.1f} "
            f"{result['p99_us'] / 1000:>7.1f} {errors_of(result):>6}"
        )
    progress_ms, floor_ms = views.median(views.progress_ms), views.median(views.floor_ms)
    unchanged_ms = views.median(views.unchanged_ms)
    print(
        f"\nOne client, one request at a time, {len(views.progress_ms)} times (median): "
        f"/progress/ just after a new answer {progress_ms:.1f} ms, unchanged {unchanged_ms:.1f} "
        f"ms; the render floor {floor_ms:.1f} ms. The learner: {extra['answers']} answers, "
        f"{extra['cards']} review cards. Statuses seen: {sorted(views.statuses)}."
    )

    checks = []
    for name in ("home", "lesson", "code"):
        ratio = by_name[name].ratio
        checks.append(
            (f"{name} {ratio:.2f} ≥ {CONTENT_RATIO_TARGET} × static", ratio >= CONTENT_RATIO_TARGET)
        )
    for name in (*PERSONAL, "progress (1,000 answers)"):
        ratio = by_name[name].ratio
        checks.append(
            (
                f"{name} {ratio:.2f} ≥ {PERSONAL_RATIO_TARGET} × static",
                ratio >= PERSONAL_RATIO_TARGET,
            )
        )
    throughput = rate(post) / rate(write_floor)
    checks.append(
        (
            f"answer POST {rate(post):.0f} req/s = {throughput:.2f} ≥ "
            f"{ANSWER_FLOOR_RATIO_TARGET} × the write floor's {rate(write_floor):.0f}",
            throughput >= ANSWER_FLOOR_RATIO_TARGET,
        )
    )
    p99 = post["p99_us"] / write_floor["p99_us"]
    checks.append(
        (
            f"answer POST p99 {post['p99_us'] / 1000:.0f} ms = {p99:.2f} ≤ "
            f"{ANSWER_P99_FLOOR_TARGET} × the write floor's {write_floor['p99_us'] / 1000:.0f} ms",
            p99 <= ANSWER_P99_FLOOR_TARGET,
        )
    )
    checks.append((f"answer POST 0 errors ({errors_of(post)})", errors_of(post) == 0))
    answer_queries = max(int(n) for n in post_page.queries.split("/"))
    checks.append(
        (
            f"answer POST {answer_queries} ≤ {ANSWER_QUERIES_TARGET} queries",
            answer_queries <= ANSWER_QUERIES_TARGET,
        )
    )
    if any(page.result["requests"] > page.capacity for page in pages if page.post_targets):
        checks.append(("answer POST: a new question for every request", False))
    first_view = floor_ms / progress_ms
    checks.append(
        (
            f"/progress/ after a new answer {progress_ms:.1f} ms = {first_view:.2f} ≥ 1 × "
            f"the render floor ({floor_ms:.1f} ms)",
            first_view >= 1,
        )
    )
    checks.append(("first views answered 200/201 only", views.statuses <= {200, 201}))
    heaviest = max(page.first_load for page in pages if not page.post_targets)
    checks.append(
        (
            f"first load {heaviest / 1024:.1f} KB ≤ {FIRST_LOAD_LIMIT // 1024} KB",
            heaviest <= FIRST_LOAD_LIMIT,
        )
    )
    checks.append(("no database writes on GET", all(page.writes == 0 for page in pages)))
    for page in fronted[1:]:
        label = f"{page.name} through nginx {page.ratio:.2f} ≥ {NGINX_RATIO_TARGET} × "
        label += "nginx's static file"
        checks.append((label, page.ratio >= NGINX_RATIO_TARGET))
        errors = errors_of(page.result)
        checks.append((f"{page.name} through nginx: 0 errors", errors == 0))
    print()
    for label, ok in checks:
        print(f"{'met   ' if ok else 'MISSED'} {label}")


def rate(result: dict) -> float:
    return result["requests"] / (result["duration_us"] / 1_000_000)


def errors_of(result: dict) -> int:
    return sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))


def mean_result(first: dict, second: dict) -> dict:
    """Two wrk summaries as one: requests and time added, percentiles and errors averaged."""
    merged = {key: first[key] + second[key] for key in ("requests", "duration_us", "bytes")}
    for key in ("connect", "read", "write", "status", "timeout"):
        merged[key] = first[key] + second[key]
    for key in ("p50_us", "p99_us", "max_us"):
        merged[key] = (first[key] + second[key]) / 2
    return merged


@dataclass
class FirstViews:
    """/progress/ viewed once after each new answer (the kept page is stale every time),
    beside the render floor fetched the same way: one client, one request at a time."""

    progress_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    unchanged_ms: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)

    @staticmethod
    def median(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[len(ordered) // 2] if ordered else float("nan")


def timed_get(url: str, cookie: str) -> tuple[int, float]:
    started = time.perf_counter()
    status, _, _ = fetch(url, cookie)
    return status, (time.perf_counter() - started) * 1000


def post_answer(url: str, body: str, browser) -> int:
    headers = {
        "Cookie": browser.cookie,
        "X-CSRFToken": browser.csrf_secret,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (127.0.0.1)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def first_views(base: str, floor_base: str, extra: dict) -> FirstViews:
    """Alternately: post an answer (not timed), view /progress/ (timed), view it again
    (unchanged, timed), fetch the render floor (timed)."""
    views = FirstViews()
    browser = extra["heavy"]
    answers = extra["after_answers"][:FIRST_VIEWS]
    for _ in range(3):  # warm both apps' processes
        timed_get(floor_base + "/render-floor", browser.cookie)
        timed_get(base + "/progress/", browser.cookie)
    for path, body in answers:
        views.statuses.add(post_answer(base + path, body, browser))
        status, ms = timed_get(base + "/progress/", browser.cookie)
        views.statuses.add(status)
        views.progress_ms.append(ms)
        status, ms = timed_get(base + "/progress/", browser.cookie)
        views.unchanged_ms.append(ms)
        status, ms = timed_get(floor_base + "/render-floor", browser.cookie)
        views.statuses.add(status)
        views.floor_ms.append(ms)
    return views


def light_queries(extra: dict) -> str:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    for part in extra["light_cookie"].split("; "):
        name, _, value = part.partition("=")
        client.cookies[name] = value
    with CaptureQueriesContext(connection) as captured:
        client.get("/progress/")
    return f"/progress/ for a learner with 10 answers: {len(captured)} queries"


def answer_count() -> int:
    from django.db import connection

    from quiz.models import Answer

    count = Answer.objects.count()
    connection.close()  # no connection held open while gunicorn writes
    return count


def measure_through_nginx(env: dict[str, str]) -> list[Page]:
    """nginx's own static file, then home, a lesson and a code page through nginx, with nginx
    and gunicorn started the way `make serve` starts them (config/serve.py)."""
    from config import serve

    if serve.nginx_binary() is None:
        raise SystemExit("make bench needs nginx (Debian: apt-get install nginx).")
    run_dir = Path(tempfile.mkdtemp(prefix="status-academy-bench-nginx-"))
    front = None
    try:
        port = servers.free_port()
        front = serve.serve(
            host=HOST,
            port=port,
            run_dir=run_dir,
            workers=int(WORKERS),
            error_log=str(run_dir / "error.log"),
            log=run_dir / "gunicorn.log",
            env={**env, "TRUSTED_PROXY_COUNT": "1"},
        )
        brotli = "with" if serve.has_brotli() else "without"
        print(
            f"nginx on {front.base} ({brotli} brotli) in front of gunicorn on a socket", flush=True
        )
        pages = [
            Page("static (htmx, nginx)", ""),
            Page("home", "/"),
            Page("lesson", "/learn/401-vs-403/"),
            Page("code", "/codes/429/"),
        ]
        measure(front.base, pages)
        time.sleep(0.5)
        log = (
            (run_dir / "error.log").read_text().strip() if (run_dir / "error.log").exists() else ""
        )
        if log:
            print("nginx said:\n" + log[-2000:])
        return pages
    finally:
        if front is not None:
            front.stop()
        shutil.rmtree(run_dir, ignore_errors=True)


def main() -> int:
    if not shutil.which("wrk"):
        print("make bench needs wrk (Debian: apt-get install wrk).", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="status-academy-bench-"))
    server = floor_server = redis = None
    try:
        env = environment(tmp)
        if env["DATABASE_URL"].startswith("postgres"):
            # Several machines' topology: PostgreSQL and Redis (without it nothing is shared).
            redis, env["REDIS_URL"] = servers.start_redis(tmp)
            print(f"PostgreSQL from DATABASE_URL, Redis on {env['REDIS_URL']}", flush=True)
        print(f"Preparing a fresh database ({env['DATABASE_URL'].split(':')[0]}) …", flush=True)
        pages, extra = prepare(env, tmp)
        answers_before = answer_count()
        port = servers.free_port()
        base = f"http://{HOST}:{port}"
        log = tmp / "gunicorn.log"
        server = servers.start_gunicorn(port, env, log, workers=int(WORKERS))
        floor_port = servers.free_port()
        floor_base = f"http://{HOST}:{floor_port}"
        floor_log = tmp / "floor.log"
        floor_env = {**env, "DJANGO_SETTINGS_MODULE": "tests.bench.floor_settings"}
        floor_server = servers.start_gunicorn(
            floor_port, floor_env, floor_log, workers=int(WORKERS)
        )
        try:
            servers.wait_until_up(base, server, log)
            servers.wait_until_up(floor_base, floor_server, floor_log)
        except RuntimeError as error:
            raise SystemExit(str(error)) from None
        print(f"gunicorn: {WORKERS} sync workers on {base}; wrk: {CLIENTS} connections", flush=True)
        print(f"the floors: the same settings and middleware, {WORKERS} workers on {floor_base}")
        measure(base, pages, floor=(floor_base, extra["floor_targets"]))
        render_floor = Page("render floor", "/render-floor", cookie=extra["heavy"].cookie)
        wrk(floor_base + render_floor.path, seconds=WARMUP_SECONDS, cookie=render_floor.cookie)
        render_floor.result = wrk(
            floor_base + render_floor.path, seconds=SECONDS, cookie=render_floor.cookie
        )
        render_floor.wire_bytes = len(fetch(floor_base + render_floor.path, render_floor.cookie)[1])
        print(f"  first views of /progress/ after an answer, {FIRST_VIEWS} times", flush=True)
        views = first_views(base, floor_base, extra)
        servers.stop(floor_server)
        servers.stop(server)
        log = (tmp / "gunicorn.log").read_text().strip()
        if log:
            print("gunicorn said:\n" + log[-3000:])
        fronted = measure_through_nginx(env)
        posted = sum(page.result["requests"] for page in pages if page.post_targets)
        stored = answer_count() - answers_before
        notes = [f"answers stored by the POST runs: {stored} (wrk counted {posted} responses)"]
        notes += count_queries(pages, extra)
        notes.append(light_queries(extra))
        report(pages, notes, extra, fronted, render_floor, views)
        return 0
    finally:
        for process in (server, floor_server, redis):
            if process is not None and process.poll() is None:
                servers.stop(process)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
