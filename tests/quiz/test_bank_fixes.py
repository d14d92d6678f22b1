"""Items the bank audit (issue 15) found wrong, pinned in the shipped content."""

import re

import pytest

from quiz.models import Question, Quiz

pytestmark = pytest.mark.django_db


def test_a_500_is_not_taught_as_transient():
    question = Question.objects.get(slug="webhooks-500-on-bad-signature-consequences")
    for choice in question.right_choices:
        assert not re.search(r"transient|temporary", choice.text), choice.text
    wrong = question.choices.get(key="f")
    assert not wrong.correct and "temporary" in wrong.text
    assert "rfc9110#section-15.6.1" in wrong.why and "[[503]]" in wrong.why
    assert "try again" not in question.explanation
    assert not question.choices.filter(key="c").exists()  # the old claim, gone from the bank


def test_the_rate_limit_prompt_does_not_give_the_answer_away():
    question = Question.objects.get(slug="rate-limiting-and-backoff-blocked-integration")
    prompt = question.prompt.lower()
    for giveaway in ("rate-limit", "rate limit", "status code", "never looks"):
        assert giveaway not in prompt


def test_the_caching_quiz_description_names_304_once(client):
    quiz = Quiz.objects.get(slug="caching-and-conditional-requests")
    assert "[[304]] on reads" in quiz.description
    assert "Not Modified Not Modified" not in client.get("/quiz/").text


def test_no_shipped_text_repeats_a_code_name_after_its_link():
    from quiz.lint.markup import names_twice

    for question in Question.objects.prefetch_related("choices"):
        texts = [question.prompt, question.explanation, *question.wrong_codes.values()]
        texts += [t for c in question.choices.all() for t in (c.text, c.why)]
        assert not any(names_twice(text) for text in texts), question.slug


def test_duplicates_were_unpublished_not_deleted():
    retired = [
        "class-4xx-malformed-json", "class-4xx-plain-retry", "class-4xx-webhook-signature",
        "class-4xx-if-match-stale", "class-4xx-expired-jwt-500", "class-4xx-stripe-402",
        "class-4xx-express-unmatched-method", "class-2xx-response-ok",
        "class-3xx-permanent-keep-method", "gateways-and-proxies-502-first-check",
        "status-codes-in-real-apis-express-create-user",
        "status-codes-in-real-apis-react-query-throw",
        "status-codes-in-real-apis-github-private-repo", "success-codes-for-apis-json-on-204",
        "validation-errors-github-422",
    ]  # fmt: skip
    assert set(
        Question.objects.filter(slug__in=retired, published=False).values_list("slug", flat=True)
    ) == set(retired)


def test_every_code_question_explains_its_likeliest_misses():
    for question in Question.objects.published().filter(type=Question.Type.CODE):
        assert 1 <= len(question.wrong_codes) <= 3, question.slug
        assert str(question.answer_code) not in question.wrong_codes
