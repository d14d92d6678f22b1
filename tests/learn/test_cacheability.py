"""Reference pages say whether a cache may store each code, and which section says so."""

import pytest

from learn.registry import REGISTERED, cacheability

HEURISTIC = {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501}  # RFC 9110 §15.1
NEVER = {
    100: "RFC 9111 §3",  # only final responses are stored
    101: "RFC 9111 §3",
    102: "RFC 9111 §3",
    103: "RFC 9111 §3",
    428: "RFC 6585 §3",
    429: "RFC 6585 §4",
    431: "RFC 6585 §5",
    511: "RFC 6585 §6",
}


@pytest.mark.parametrize("code", sorted(REGISTERED))
def test_every_registered_code_has_its_state_and_citation(code):
    cache = cacheability(code)
    if code in NEVER:
        assert (cache.state, cache.citation.label) == ("never", NEVER[code])
    elif code == 451:
        assert (cache.state, cache.citation.label) == ("heuristic", "RFC 7725 §3")
    elif code in HEURISTIC:
        assert (cache.state, cache.citation.label) == ("heuristic", "RFC 9110 §15.1")
    else:
        assert (cache.state, cache.citation.label) == ("explicit", "RFC 9111 §3")
    section = cache.citation.label.split("§")[1]
    assert cache.citation.url.endswith(f"#section-{section}")


def test_the_three_states_partition_the_registry():
    states = {code: cacheability(code).state for code in REGISTERED}
    assert sorted(c for c, s in states.items() if s == "never") == sorted(NEVER)
    assert sorted(c for c, s in states.items() if s == "heuristic") == sorted(HEURISTIC | {451})


@pytest.mark.parametrize(
    "code, label, url",
    [
        (429, "Never: caches must not store it", "rfc6585#section-4"),
        (103, "Never: caches store only final responses", "rfc9111#section-3"),
        (451, "Yes: a cache may store it without explicit freshness", "rfc7725#section-3"),
        (404, "Yes: a cache may store it without explicit freshness", "rfc9110#section-15.1"),
        (201, "Only with explicit freshness", "rfc9111#section-3"),
    ],
)
def test_the_code_page_shows_the_state_with_its_citation_link(client, db, code, label, url):
    html = client.get(f"/codes/{code}/").text
    assert f'{label} (<a href="https://www.rfc-editor.org/rfc/{url}">' in html
