"""One machine as `make serve` runs it: nginx in front of gunicorn's sync workers.

Before issue 19, gunicorn faced clients itself: two idle connections froze the site for ~31 s,
a 200 MB body was spooled to disk before the CSRF 403, gunicorn's own error pages lacked the
security headers, and static files kept one ETag for every encoding.
"""

import socket
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings

from config import serve
from tests import servers
from tests.cluster.web import Browser, missing_security_headers, request

pytestmark = pytest.mark.cluster

HALF_OPEN = 200
LESSON = "/learn/401-vs-403/"


def test_200_half_open_connections_leave_healthz_answering_within_a_second(front):
    with ThreadPoolExecutor(max_workers=4) as pool:  # every worker past its first request
        list(pool.map(lambda _: request(front.base, "GET", "/healthz"), range(8)))
    sockets = []
    try:
        for _ in range(HALF_OPEN):
            sock = socket.create_connection((servers.HOST, front.port), timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            sockets.append(sock)
        times = []
        for _ in range(5):
            started = time.monotonic()
            with urllib.request.urlopen(front.base + "/healthz", timeout=5) as response:
                assert response.status == HTTPStatus.OK
            times.append(time.monotonic() - started)
    finally:
        for sock in sockets:
            sock.close()
    assert max(times) < 1, times


def test_a_200_mb_body_is_refused_before_a_byte_of_it_is_read(front):
    head = (
        "POST /progress/lessons/401-vs-403/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {200 * 1024 * 1024}\r\n\r\n"
    )
    started = time.monotonic()
    with socket.create_connection((servers.HOST, front.port), timeout=5) as sock:
        sock.sendall(head.encode())  # and none of the body
        answer = b""
        while b"</html>" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split()[1] == b"413", answer[:500]
    assert time.monotonic() - started < 1
    assert b"X-Frame-Options: DENY" in rest and b"Content-Security-Policy:" in rest


def test_the_admin_import_alone_takes_a_megabyte(front):
    big = b"x" * (600 * 1024)
    elsewhere = request(front.base, "POST", "/accounts/login/", body=big)
    importer = request(front.base, "POST", "/admin/quiz/question/import/", body=big)

    assert elsewhere.status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert importer.status == HTTPStatus.FORBIDDEN  # read whole and handed to Django: no CSRF


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", "/" + "a" * 5000, {}, 414),
        ("GET", "/", {"X-Big": "b" * 5000}, 431),
        ("GET", "/static/no-such-file.css", {}, 404),
        ("POST", "/static/css/site.css", {}, 405),
        ("POST", "/accounts/login/", {"Content-Length": str(10**9)}, 413),
    ],
)
def test_nginx_error_pages_carry_the_security_headers(front, method, path, headers, status):
    reply = request(front.base, method, path, headers=headers)

    assert reply.status == status
    assert not missing_security_headers(reply)
    assert reply.header("Content-Type") == "text/html; charset=utf-8"
    assert f'<h1 id="error-title">{status} ' in reply.text
    if status == 405:
        assert reply.header("Allow") == "GET, HEAD"


def test_the_502_when_gunicorn_is_down_carries_the_security_headers(workdir):
    dead = f"{servers.HOST}:{servers.free_port()}"  # nothing listens there
    port = servers.free_port()
    run_dir = workdir / "dead-upstream"
    conf = serve.render(
        run_dir,
        listen=f"{servers.HOST}:{port}",
        upstreams=[dead],
        static_root=Path(settings.STATIC_ROOT),
        error_log=str(run_dir / "error.log"),
    )
    nginx = serve.start_nginx(conf)
    try:
        base = f"http://{servers.HOST}:{port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                reply = request(base, "GET", "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
    finally:
        serve.stop(nginx)
    assert reply.status == HTTPStatus.BAD_GATEWAY
    assert not missing_security_headers(reply)
    assert "502 Bad Gateway" in reply.text


def test_requests_gunicorn_would_refuse_with_its_bare_page_are_nginxs_or_djangos(front):
    """gunicorn's limits (request line, header size and count) are above nginx's."""
    replies = [
        request(front.base, "GET", "/" + "a" * length) for length in (3000, 4000, 4090, 4200)
    ]
    replies.append(request(front.base, "GET", "/", headers={f"X-H{n}": "1" for n in range(150)}))
    for reply in replies:
        assert reply.status in (200, 404, 414), reply.status
        assert not missing_security_headers(reply), reply.status


def test_static_files_have_an_etag_per_representation(front):
    path = "/static/css/site.css"
    plain = request(front.base, "GET", path)
    zipped = request(front.base, "GET", path, headers={"Accept-Encoding": "gzip"})
    both = request(front.base, "GET", path, headers={"Accept-Encoding": "gzip, br"})

    assert zipped.header("Content-Encoding") == "gzip"
    expected = "br" if serve.has_brotli() else "gzip"
    assert both.header("Content-Encoding") == expected
    etags = {plain.header("ETag"), zipped.header("ETag"), both.header("ETag")}
    assert len(etags) == (3 if serve.has_brotli() else 2)
    assert plain.header("Vary") == zipped.header("Vary") == "Accept-Encoding"
    for reply in (plain, zipped, both):
        assert not missing_security_headers(reply)
        assert reply.header("Cache-Control") == "max-age=60"

    again = {"Accept-Encoding": "gzip", "If-None-Match": zipped.header("ETag")}
    assert request(front.base, "GET", path, headers=again).status == HTTPStatus.NOT_MODIFIED
    other = {"If-None-Match": zipped.header("ETag")}  # the gzip ETag, without gzip
    assert request(front.base, "GET", path, headers=other).status == HTTPStatus.OK


def test_fingerprinted_static_files_are_immutable(front):
    home = request(front.base, "GET", "/").text
    stylesheet = home.split('<link rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    reply = request(front.base, "GET", stylesheet, headers={"Accept-Encoding": "gzip"})

    assert reply.status == HTTPStatus.OK
    assert reply.header("Cache-Control") == "max-age=31536000, immutable"


def test_shared_pages_come_from_the_micro_cache_and_a_session_bypasses_it(front):
    path = "/codes/?q=micro"  # a URL no other test asks for
    first = request(front.base, "GET", path)
    second = request(front.base, "GET", path)
    learner = Browser(front.base)
    learner.get("/csrf")  # as site.js does before the first POST
    learner.post("/progress/lessons/401-vs-403/", {"done": "1"})  # a session
    theirs = learner.get(path)
    after = request(front.base, "GET", path)

    assert first.header("X-Cache-Status") == "MISS"
    assert second.header("X-Cache-Status") == "HIT"
    assert second.header("Cache-Control").startswith("max-age=60, stale-while-revalidate=")
    assert not missing_security_headers(second)
    assert "sessionid" in learner.cookies
    assert theirs.header("X-Cache-Status") == "BYPASS"
    assert theirs.header("Cache-Control") == "private, max-age=0, must-revalidate"
    assert after.header("X-Cache-Status") == "HIT"
    assert after.body == second.body  # the learner's page never went into the cache


def test_a_cached_page_answers_its_etag_with_304(front):
    page = request(front.base, "GET", LESSON, headers={"Accept-Encoding": "gzip"})
    again = request(
        front.base,
        "GET",
        LESSON,
        headers={"Accept-Encoding": "gzip", "If-None-Match": page.header("ETag")},
    )
    assert again.status == HTTPStatus.NOT_MODIFIED
    assert again.header("ETag") == page.header("ETag")


def test_head_works_through_nginx(front):
    for path in (LESSON, "/static/css/site.css", "/healthz", "/quiz/"):
        got = request(front.base, "GET", path)
        head = request(front.base, "HEAD", path)
        assert head.status == got.status == HTTPStatus.OK, path
        assert head.body == b"", path
        assert head.header("Content-Type") == got.header("Content-Type"), path


def test_the_client_address_is_the_one_nginx_saw_whatever_the_client_claims(front):
    statuses = [
        request(
            front.base,
            "GET",
            "/lab/api/limited?client=spoofer",
            headers={"X-Forwarded-For": f"10.0.0.{n}"},
        ).status
        for n in range(6)
    ]
    echo = request(front.base, "GET", "/lab/api/echo", headers={"X-Forwarded-For": "10.9.9.9"})

    assert statuses == [200] * 5 + [429]  # one client: a new claimed address each time
    assert '"X-Forwarded-For": "10.9.9.9, 127.0.0.1"' in echo.text
    assert '"X-Forwarded-Proto": "http"' in echo.text
