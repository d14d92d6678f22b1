"""Facts the bank audit (issue 15) found wrong or missing on reference pages, pinned."""

import re
from html import unescape

import pytest

from learn.models import StatusCode

pytestmark = pytest.mark.django_db


def text_of(client, code: int) -> str:
    html = client.get(f"/codes/{code}/").text
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def test_oauth_invalid_client_is_400_or_a_401_with_a_challenge(client):
    text = text_of(client, 401)
    assert "(invalid_client) is a 400 too, or a 401 with a WWW-Authenticate challenge" in text
    assert "MUST be the 401 when the client authenticated through the Authorization header" in text


def test_502_page_passes_valid_upstream_errors_through(client):
    text = text_of(client, 502)
    assert "pass it through" in text and "rather than turning it into a 502" in text


def test_502_page_knows_cloudflare_serves_its_own_502(client):
    text = text_of(client, 502)
    assert "it also serves 502 and 504 pages of its own" in text
    assert "rather than 502" not in text


def test_303_page_says_what_a_303_to_a_get_means(client):
    text = text_of(client, 303)
    assert "In reply to a GET, a 303 says" in text
    assert "does not stand for the original resource itself" in text


def test_429_page_says_limits_may_be_per_resource_or_server_wide(client):
    text = text_of(client, 429)
    assert "The limit may cover one resource" in text and "the whole server" in text


def test_429_is_not_related_to_425(client):
    related = StatusCode.objects.get(code=429).related.values_list("code", flat=True)
    assert 425 not in related


def test_summaries_are_plain_text_with_no_markdown_shown_as_typed(client):
    """The summary is shown as text (lede, cards, meta description): Markdown would show raw."""
    for code in StatusCode.objects.all():
        assert not re.search(r"`|\[\[|\*\*", code.summary), code.code


def test_the_444_card_shows_no_backticks(client):
    html = client.get("/codes/").text
    assert "`return 444;`" not in html and "(return 444)" in html
