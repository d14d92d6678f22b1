"""The rubric matcher and the rubric's shape, without the database."""

import pytest

from learn.rubric import (
    found_points,
    from_text,
    phrasing_found,
    point_evidence,
    problems,
    stem,
    to_text,
)

RUBRIC = [
    {
        "point": "401 means no valid credentials",
        "phrasings": ["no valid credentials", "not authenticated", "expired token"],
    },
    {"point": "a 401 carries a challenge", "phrasings": ["WWW-Authenticate", "challenge"]},
]


def test_case_does_not_matter():
    assert phrasing_found("THE TOKEN HAS EXPIRED", "expired token")
    assert phrasing_found("the token has expired", "Expired Token")


def test_punctuation_does_not_matter():
    assert phrasing_found("Not... authenticated!", "not authenticated")
    assert phrasing_found("(no) valid, credentials?", "no valid credentials")
    assert phrasing_found("the server's logs", "servers logs")


@pytest.mark.parametrize(
    "answer, phrasing",
    [
        ("POST isn't idempotent", "not idempotent"),
        ("logging in again won't help", "will not help"),
        ("logging in again will not help", "won't help"),
        ("you can't tell them apart", "cannot tell"),
        ("the role doesnt have permission", "does not have permission"),
        ("they don’t retry", "do not retry"),
    ],
)
def test_negative_contractions_meet_their_spelled_out_forms(answer, phrasing):
    assert phrasing_found(answer, phrasing)


@pytest.mark.parametrize(
    "answer, phrasing",
    [
        ("the client retries later", "retry"),
        ("it retried twice", "retrying"),
        ("browsers cache redirects", "cached redirect"),
        ("tokens that expire", "expired token"),
        ("the role lacks the permissions", "lacks permission"),
        ("validating the body", "validation"),
        ("it is temporarily down", "temporary"),
        ("stopped sending", "stop sending"),
    ],
)
def test_word_forms_meet(answer, phrasing):
    assert phrasing_found(answer, phrasing)


def test_the_stemmer_is_consistent_and_leaves_codes_alone():
    assert stem("retries") == stem("retried") == stem("retrying") == stem("retry")
    assert stem("caches") == stem("cached") == stem("caching") == stem("cache")
    assert stem("status") == "status"
    assert stem("401") == "401" and stem("5xx") == "5xx"


def test_status_codes_are_whole_tokens():
    assert phrasing_found("answer 401 here", "401")
    assert not phrasing_found("answer 4010 here", "401")
    assert not phrasing_found("answer 14:01 here", "401")
    assert phrasing_found("any 4xx status", "4xx")
    assert phrasing_found("true for 200–299 inclusive", "200-299")


def test_code_links_read_as_their_number_or_label():
    assert phrasing_found("Answer [[403]] instead.", "403")
    assert phrasing_found("Answer [[403|a forbidden]] instead.", "forbidden")
    assert not phrasing_found("See [[lab:post-303]].", "303")
    assert phrasing_found("See [the spec](https://example.com/rfc9110).", "the spec")
    assert not phrasing_found("See [the spec](https://example.com/rfc9110).", "rfc9110")


def test_header_names_are_whole_tokens():
    assert phrasing_found("send a WWW-Authenticate header", "WWW-Authenticate")
    assert phrasing_found("send a www authenticate header", "WWW-Authenticate")
    assert phrasing_found("honour the Retry-After header", "retry after")
    assert not phrasing_found("send a WWW-Authenticate header", "authenticate")
    assert not phrasing_found("check Retry-After first", "retry")
    assert phrasing_found("read x-ratelimit-remaining", "X-RateLimit-Remaining")


def test_a_hyphenated_word_meets_its_fused_spelling():
    assert phrasing_found("re-authenticating will not help", "reauthenticate")
    assert phrasing_found("logging in again, reauthenticating, is useless", "re-authenticate")


def test_near_words_in_another_order_count():
    assert phrasing_found("the credentials are valid", "valid credentials")
    assert phrasing_found("the key used for idempotency", "idempotency key")


def test_words_far_apart_do_not_count():
    answer = "the token is valid and the user is logged in but the request has no body credentials"
    assert not phrasing_found(answer, "valid credentials")


def test_a_phrasing_with_one_content_word_must_be_said_as_written():
    assert phrasing_found("re-sent with its body", "with its body")
    assert not phrasing_found("the body is empty", "with its body")


def test_filler_words_are_optional_out_of_order():
    assert phrasing_found("credentials: none valid", "none of the credentials are valid")
    assert not phrasing_found("the cache of it", "of the")  # only filler words: contiguous only


def test_found_points_reports_each_point():
    answer = "A 401 says the token expired; it must carry WWW-Authenticate."
    assert found_points(answer, RUBRIC) == [True, True]
    assert found_points("403: you may not do this", RUBRIC) == [False, False]
    assert found_points("", RUBRIC) == [False, False]


def test_point_evidence_names_the_phrasing_that_matched():
    assert point_evidence("he is not authenticated", RUBRIC[0]) == "not authenticated"
    assert point_evidence("he is forbidden", RUBRIC[0]) is None


def test_negation_is_not_understood():
    """Documented limitation: the learner confirms the marks."""
    assert phrasing_found("a 401 has no challenge at all", "challenge")


def test_a_valid_rubric_has_no_problems():
    assert problems(RUBRIC) == []


@pytest.mark.parametrize(
    "rubric, message",
    [
        ("not a list", "the rubric must be a list of points"),
        (RUBRIC[:1], "needs 2–5 points, has 1"),
        (RUBRIC * 3, "needs 2–5 points, has 6"),
        ([*RUBRIC, {"point": " ", "phrasings": ["x"]}], "point 3 has no text"),
        ([*RUBRIC, {"point": "p", "phrasings": []}], "point 3 (p) needs at least one phrasing"),
        ([*RUBRIC, {"point": "p"}], "point 3 needs exactly 'point' and 'phrasings'"),
        ([*RUBRIC, {"point": "p", "phrasings": ["..."]}], "every phrasing must be text with"),
        ([*RUBRIC, {"point": "p", "phrasings": [401]}], "every phrasing must be text with"),
        ([*RUBRIC, {"point": "a | b", "phrasings": ["x"]}], "may not contain '|'"),
        ([*RUBRIC, {"point": "p", "phrasings": ["a; b"]}], "may not contain '|' or ';'"),
    ],
)
def test_rubric_problems_say_what_is_wrong(rubric, message):
    assert any(message in problem for problem in problems(rubric)), problems(rubric)


def test_the_text_form_round_trips():
    text = to_text(RUBRIC)
    assert text.splitlines()[1] == "a 401 carries a challenge | WWW-Authenticate; challenge"
    assert from_text(text) == (RUBRIC, [])


def test_the_text_form_skips_blank_lines_and_empty_phrasings():
    rubric, found = from_text("\n  one | a; ; b  \n\ntwo|c;\n")
    assert rubric == [
        {"point": "one", "phrasings": ["a", "b"]},
        {"point": "two", "phrasings": ["c"]},
    ]
    assert found == []


def test_the_text_form_counts_lines_as_the_author_sees_them():
    assert from_text("one | a\n\nno bar here")[1] == [
        "line 3: put '|' between the point and its phrasings"
    ]


def test_the_text_form_reports_lines_it_cannot_read():
    rubric, found = from_text("one | a\ntwo without a bar\nthree | b | c")
    assert rubric == [{"point": "one", "phrasings": ["a"]}]
    assert found == [
        "line 2: put '|' between the point and its phrasings",
        "line 3: use one '|'; separate phrasings with ';'",
    ]
