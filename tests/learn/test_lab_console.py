"""The lab page (/lab/): presets, the console's query string, curl commands and "Try it" links."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learn.lab.presets import BY_SLUG, PRESETS, TRUTH_TABLE, console_request, curl_command
from learn.models import Lesson, StatusCode
from learn.rendering import render_markdown

LESSONS = Path(__file__).resolve().parents[2] / "learn" / "content" / "lessons"

pytestmark = pytest.mark.django_db


def test_lab_page_lists_every_experiment_and_the_demo_tokens(client):
    response = client.get("/lab/")
    assert response.status_code == 200
    html = response.content.decode()
    for preset in PRESETS:
        assert f'href="/lab/?preset={preset.slug}#console"' in html
    assert "Bearer reader-token" in html and "Bearer admin-token" in html
    assert html.count("<tr data-method=") == len(TRUTH_TABLE)
    assert 'id="backoff-run"' in html
    assert "js/lab.js" in html


def test_lab_page_needs_no_database(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/lab/?preset=post-303").status_code == 200
    # Only the session/learner lookups base.html makes for anonymous visitors, if any.
    assert len(queries) <= 2


def test_a_preset_fills_the_console_and_says_what_to_look_for(client):
    response = client.get("/lab/?preset=post-303")
    html = response.content.decode()
    assert "<option selected>POST</option>" in html
    assert 'value="/lab/api/redirect/303"' in html
    assert "{&quot;order&quot;: 42}" in html
    assert "303 See Other always means" in html
    assert "<title>POST through 303 · The lab" in html


def test_the_rate_limit_preset_sends_six_times(client):
    html = client.get("/lab/?preset=rate-limited").content.decode()
    assert 'data-repeat="6"' in html
    assert "Send 6 times" in html


@pytest.mark.parametrize(
    "query",
    [
        "path=https://evil.example/steal",
        "path=//evil.example/lab/api/echo",
        "path=/admin/",
        "path=/lab/api/../../admin/",
        "path=http:/lab/api/echo",
        "path=/lab/api/echo%0d%0aX:1",
        "path=%5C%5Cevil.example",
    ],
)
def test_an_off_site_or_non_lab_path_is_refused_with_400(client, query):
    response = client.get(f"/lab/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The console can" in html and "send that request" in html
    assert "/lab/api/" in html
    assert "evil.example" not in html.split('id="lab-path"')[1].split(">")[0]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("preset=nope", "no experiment by that name"),
        ("method=BREW", "The console sends GET"),
        ("redirect=sometimes", "Redirect mode is one of"),
        ("headers=" + "x" * 2001, "Headers are limited"),
        ("body=" + "x" * (16 * 1024 + 1), "The body is limited to 16 KB"),
    ],
)
def test_bad_console_parameters_get_400_with_a_reason(client, query, message):
    response = client.get(f"/lab/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_console_state_comes_from_the_query_string(client):
    response = client.get(
        "/lab/",
        {"method": "put", "path": "/lab/api/status/409", "headers": "If-Match: x", "body": "{}"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<option selected>PUT</option>" in html
    assert 'value="/lab/api/status/409"' in html
    assert "curl -i -L -X PUT -H &#x27;If-Match: x&#x27;" in html


def test_curl_commands_match_what_the_browser_does():
    post_303 = curl_command(console_request({"preset": "post-303"}), "http://testserver")
    # No -X POST: under -L it would force POST onto the redirected request too.
    assert post_303 == (
        "curl -i -L -H 'Content-Type: application/json' --data-binary '{\"order\": 42}' "
        "'http://testserver/lab/api/redirect/303'"
    )
    head = curl_command(console_request({"method": "HEAD"}), "http://h")
    assert head == "curl -i -L --head 'http://h/lab/api/status/418'"
    job = curl_command(console_request({"preset": "job-start"}), "http://h")
    assert "-X POST" in job
    big = curl_command(console_request({"preset": "too-large"}), "http://h")
    assert big.startswith("head -c 17408 /dev/zero | tr '\\0' x | curl")
    quoted = curl_command(console_request({"body": "it's"}), "http://h")
    assert "'it'\"'\"'s'" in quoted


def test_every_preset_targets_a_lab_endpoint_that_answers(client):
    for preset in PRESETS:
        assert preset.path.startswith("/lab/api/")
        assert preset.method in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
        headers = {}
        for line in preset.headers.splitlines():
            name, _, value = line.partition(":")
            headers["HTTP_" + name.strip().upper().replace("-", "_")] = value.strip()
        content_type = headers.pop("HTTP_CONTENT_TYPE", "application/octet-stream")
        body = preset.body or "x" * preset.body_size
        response = client.generic(
            preset.method, preset.path, body, content_type=content_type, **headers
        )
        for code in preset.codes:
            if 200 <= code <= 599:
                assert response.status_code == code or preset.slug in {"rate-limited"}, (
                    preset.slug,
                    response.status_code,
                )


def test_lab_links_in_markdown_become_try_it_links():
    html = str(render_markdown("See [[lab:post-303]] and [[lab:teapot|the teapot]].").html)
    assert (
        '<a class="try-it" href="/lab/?preset=post-303#console">'
        "Try it in the lab: POST through 303</a>" in html
    )
    assert '<a class="try-it" href="/lab/?preset=teapot#console">the teapot</a>' in html


def test_an_unknown_lab_link_stays_as_written():
    html = str(render_markdown("[[lab:nope]]").html)
    assert "[[lab:nope]]" in html and "<a" not in html


def test_every_lab_link_in_the_shipped_lessons_names_an_experiment():
    slugs = [
        slug
        for path in LESSONS.glob("*.md")
        for slug in re.findall(r"\[\[lab:([a-z0-9-]+)", path.read_text())
    ]
    assert slugs, "the lessons embed lab links"
    assert not [slug for slug in slugs if slug not in BY_SLUG]


def test_each_lesson_links_the_experiments_for_its_codes(client):
    for lesson in Lesson.objects.published().prefetch_related("codes"):
        html = client.get(lesson.get_absolute_url()).content.decode()
        for preset in PRESETS:
            if {code.code for code in lesson.codes.all()} & set(preset.codes):
                assert f'href="{preset.url}"' in html, (lesson.slug, preset.slug)


def test_code_pages_link_their_experiment(client):
    html = client.get("/codes/418/").content.decode()
    assert 'href="/lab/?preset=teapot#console"' in html
    html = client.get("/codes/100/").content.decode()
    assert 'href="/lab/?preset=informational#console"' in html
    # A code without a preset still gets a plain request for it.
    code = StatusCode.objects.filter(code=508).first() or StatusCode.objects.get(code=507)
    html = client.get(code.get_absolute_url()).content.decode()
    assert f"path=%2Flab%2Fapi%2Fstatus%2F{code.code}" in html


def test_the_nav_links_the_lab(client):
    html = client.get("/").content.decode()
    assert 'href="/lab/"' in html
    assert 'href="/lab/" aria-current="page"' in client.get("/lab/").content.decode()


def test_lab_page_refuses_post(client):
    assert client.post("/lab/").status_code == 405
