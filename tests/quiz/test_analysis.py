"""Item analysis: counts, shares, splits, flags at their thresholds, and bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz.analysis import (
    ALL_RIGHT_MIN_ANSWERS,
    MIN_ANSWERS,
    annotate_answer_stats,
    flagged_questions,
    item_stats,
)
from quiz.models import Answer, Attempt, Choice, Question
from quiz.progress.models import Learner
from tests.quiz.conftest import number_of, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def q(quiz) -> dict[str, Question]:
    """The test quiz's questions by slug: t-role, t-code, t-tf, t-multi."""
    return {question.slug: question for question in quiz.questions.all()}


def pick(question: Question, *texts: str) -> list[Choice]:
    by_text = {c.text: c for c in question.choices.all()}
    return [by_text[text] for text in texts]


def record(question: Question, n: int = 1, *, choices=(), code=None, boolean=None) -> None:
    """n answers to the question, each in an attempt of its own, graded as the site grades."""
    if question.has_choices:
        correct = {c.pk for c in choices} == {c.pk for c in question.choices.all() if c.correct}
    elif question.type == Question.Type.CODE:
        correct = code == question.answer_code
    else:
        correct = boolean == question.answer_bool
    learner = Learner.objects.create()
    attempts = Attempt.objects.bulk_create(
        Attempt(learner=learner, question_ids=[question.pk], total=1) for _ in range(n)
    )
    answers = Answer.objects.bulk_create(
        Answer(
            attempt=attempt,
            question=question,
            given_code=code,
            given_bool=boolean,
            correct=correct,
        )
        for attempt in attempts
    )
    through = Answer.choices.through
    through.objects.bulk_create(
        through(answer_id=answer.pk, choice_id=choice.pk)
        for answer in answers
        for choice in choices
    )


def stats_of(question: Question):
    return item_stats([question])[question.pk]


# Counts, shares and splits -------------------------------------------------------------------


def test_unanswered_questions_have_empty_stats_and_no_judgement(q):
    stats = item_stats(q.values())
    assert set(stats) == {question.pk for question in q.values()}
    for item in stats.values():
        assert (item.answered, item.right, item.percent_right) == (0, 0, None)
        assert item.flags == [] and item.notes == [] and item.wrong_codes == []
    role = stats[q["t-role"].pk]
    assert [(s.choice.text, s.picked, s.share) for s in role.choices] == [
        ("401 Unauthorized", 0, 0.0),
        ("403 Forbidden", 0, 0.0),
        ("404 Not Found", 0, 0.0),
    ]
    assert item_stats([]) == {}


def test_single_choice_counts_and_shares_in_position_order(q):
    role = q["t-role"]
    record(role, 6, choices=pick(role, "403 Forbidden"))
    record(role, 3, choices=pick(role, "401 Unauthorized"))
    record(role, 1, choices=pick(role, "404 Not Found"))
    item = stats_of(role)
    assert (item.answered, item.right, item.wrong, item.percent_right) == (10, 6, 4, 60)
    assert [(s.choice.text, s.picked, s.share, s.percent) for s in item.choices] == [
        ("401 Unauthorized", 3, 0.3, 30),
        ("403 Forbidden", 6, 0.6, 60),
        ("404 Not Found", 1, 0.1, 10),
    ]
    choice, picked, share = item.choices[0]  # unpacks as a plain tuple too
    assert (choice.text, picked, share) == ("401 Unauthorized", 3, 0.3)
    assert item.flags == [] and item.notes == []


def test_multiple_choice_shares_count_every_choice_an_answer_picked(q):
    multi = q["t-multi"]
    record(multi, 4, choices=pick(multi, "502", "504"))
    record(multi, 6, choices=pick(multi, "502", "404"))
    item = stats_of(multi)
    assert (item.answered, item.right, item.percent_right) == (10, 4, 40)
    assert [(s.choice.text, s.picked, s.share) for s in item.choices] == [
        ("502", 10, 1.0),
        ("504", 4, 0.4),
        ("404", 6, 0.6),
    ]
    assert item.flags == ["Most learners pick the wrong choice '404' (60%)"]


def test_code_questions_keep_the_top_three_wrong_codes(q):
    code = q["t-code"]
    for given, n in [(201, 5), (200, 4), (204, 2), (202, 2), (500, 1)]:
        record(code, n, code=given)
    item = stats_of(code)
    assert (item.answered, item.right, item.percent_right) == (14, 5, 36)
    assert item.wrong_codes == [(200, 4), (202, 2), (204, 2)]
    assert item.choices == [] and (item.said_true, item.said_false) == (0, 0)
    assert item.flags == []


def test_true_false_split(q):
    tf = q["t-tf"]  # the right answer is False
    record(tf, 7, boolean=False)
    record(tf, 3, boolean=True)
    item = stats_of(tf)
    assert (item.said_true, item.said_false) == (3, 7)
    assert (item.answered, item.right, item.percent_right) == (10, 7, 70)
    assert item.flags == [] and item.wrong_codes == []


def test_answers_given_through_the_views_are_counted(client, q):
    attempt = start(client)
    role = q["t-role"]
    page = f"/quiz/attempts/{attempt.pk}"
    client.post(f"{page}/1/", {"choice": number_of(attempt, role, correct=False)[0]})
    client.post(f"{page}/2/", {"answer": "200"})
    client.post(f"{page}/3/", {"answer": "false"})
    stats = item_stats(q.values())
    role_stats = stats[role.pk]
    assert (role_stats.answered, role_stats.right) == (1, 0)
    assert sum(s.picked for s in role_stats.choices if not s.choice.correct) == 1
    assert stats[q["t-code"].pk].wrong_codes == [(200, 1)]
    assert (stats[q["t-tf"].pk].said_false, stats[q["t-tf"].pk].right) == (1, 1)
    assert stats[q["t-multi"].pk].answered == 0


# Flags and notes at their thresholds ---------------------------------------------------------


def record_code(question, answered: int, right: int) -> None:
    """Right answers and wrong ones spread over three codes, so no wrong code has a majority."""
    record(question, right, code=question.answer_code)
    wrong = answered - right
    for i, given in enumerate((200, 202, 204)):
        record(question, wrong // 3 + (i < wrong % 3), code=given)


@pytest.mark.parametrize(
    "answered,right,flags",
    [
        (MIN_ANSWERS - 1, 0, []),
        (MIN_ANSWERS, 1, ["Only 10% of answers are right"]),
        (MIN_ANSWERS, 2, []),
        (100, 19, ["Only 19% of answers are right"]),
        (100, 20, []),
    ],
)
def test_few_right_answers_flag_from_ten_answers_under_twenty_percent(q, answered, right, flags):
    record_code(q["t-code"], answered, right)
    item = stats_of(q["t-code"])
    assert (item.answered, item.right) == (answered, right)
    assert item.flags == flags


@pytest.mark.parametrize(
    "answered,wrong,flags",
    [
        (MIN_ANSWERS - 1, MIN_ANSWERS - 1, []),
        (10, 5, []),
        (10, 6, ["Most learners pick the wrong choice '401 Unauthorized' (60%)"]),
        (100, 50, []),
        (100, 51, ["Most learners pick the wrong choice '401 Unauthorized' (51%)"]),
    ],
)
def test_a_wrong_choice_picked_by_more_than_half_is_flagged(q, answered, wrong, flags):
    role = q["t-role"]
    record(role, wrong, choices=pick(role, "401 Unauthorized"))
    record(role, answered - wrong, choices=pick(role, "403 Forbidden"))
    assert stats_of(role).flags == flags


def test_a_majority_wrong_code_or_boolean_is_flagged_too(q):
    record(q["t-code"], 6, code=200)
    record(q["t-code"], 4, code=201)
    record(q["t-tf"], 6, boolean=True)
    record(q["t-tf"], 4, boolean=False)
    stats = item_stats([q["t-code"], q["t-tf"]])
    assert stats[q["t-code"].pk].flags == ["Most learners type the wrong code 200 (60%)"]
    assert stats[q["t-tf"].pk].flags == ["Most learners pick the wrong choice 'True' (60%)"]


def test_a_question_that_is_never_answered_right_gets_both_flags(q):
    role = q["t-role"]
    record(role, 10, choices=pick(role, "404 Not Found"))
    assert stats_of(role).flags == [
        "Only 0% of answers are right",
        "Most learners pick the wrong choice '404 Not Found' (100%)",
    ]


@pytest.mark.parametrize("answered", [ALL_RIGHT_MIN_ANSWERS - 1, ALL_RIGHT_MIN_ANSWERS])
def test_everyone_right_is_a_note_not_a_flag(q, answered):
    record(q["t-tf"], answered, boolean=False)
    item = stats_of(q["t-tf"])
    assert item.flags == []
    if answered >= ALL_RIGHT_MIN_ANSWERS:
        assert item.notes == ["Everyone gets it right (30 answers): too easy?"]
    else:
        assert item.notes == []


# Flagged questions ---------------------------------------------------------------------------


def test_flagged_questions_worst_first_published_or_not(q):
    record_code(q["t-code"], 10, 1)  # 10 %
    record(q["t-tf"], 10, boolean=True)  # 0 %
    Question.objects.filter(pk=q["t-tf"].pk).update(published=False)
    role = q["t-role"]  # 40 %, with a majority wrong choice
    record(role, 6, choices=pick(role, "401 Unauthorized"))
    record(role, 4, choices=pick(role, "403 Forbidden"))
    multi = q["t-multi"]  # 90 %: not flagged
    record(multi, 9, choices=pick(multi, "502", "504"))
    record(multi, 1, choices=pick(multi, "502"))
    flagged = flagged_questions()
    assert [(question.slug, s.percent_right) for question, s in flagged] == [
        ("t-tf", 0),
        ("t-code", 10),
        ("t-role", 40),
    ]
    assert all(s.flags for _, s in flagged)
    assert flagged[0][0].published is False


def test_nothing_is_flagged_without_answers(q):
    assert flagged_questions() == []


# Queries -------------------------------------------------------------------------------------


def queries_of(function, *args) -> int:
    with CaptureQueriesContext(connection) as captured:
        function(*args)
    return len(captured)


def test_item_stats_queries_do_not_grow_with_answers_or_questions(q):
    questions = list(q.values())
    role, multi = q["t-role"], q["t-multi"]
    record(role, 2, choices=pick(role, "403 Forbidden"))
    record(multi, 1, choices=pick(multi, "502", "404"))
    record(q["t-code"], 1, code=200)
    record(q["t-tf"], 1, boolean=True)
    few = queries_of(item_stats, questions)
    assert few == 3
    record(role, 200, choices=pick(role, "401 Unauthorized"))
    record(multi, 100, choices=pick(multi, "502", "504"))
    for given in (200, 201, 404, 500):
        record(q["t-code"], 25, code=given)
    record(q["t-tf"], 95, boolean=False)
    assert Answer.objects.count() == 500
    assert queries_of(item_stats, questions) == few
    # A queryset costs one query more to run it, however many questions it holds.
    assert Question.objects.count() > len(questions)
    assert queries_of(item_stats, Question.objects.all()) == few + 1
    assert queries_of(item_stats, Question.objects.filter(slug__startswith="t-")) == few + 1
    assert queries_of(flagged_questions) == few + 1


# Admin annotations ---------------------------------------------------------------------------


def test_annotate_answer_stats_counts_and_a_float_percent(q):
    role, multi = q["t-role"], q["t-multi"]
    record(role, 1, choices=pick(role, "403 Forbidden"))
    record(role, 2, choices=pick(role, "401 Unauthorized"))
    record(multi, 3, choices=pick(multi, "502", "504"))
    record(multi, 1, choices=pick(multi, "502"))
    rows = {
        question.slug: question
        for question in annotate_answer_stats(Question.objects.filter(slug__startswith="t-"))
    }
    assert (rows["t-role"].times_answered, rows["t-role"].right_answers) == (3, 1)
    assert rows["t-role"].percent_right == pytest.approx(100 / 3)
    assert (rows["t-multi"].times_answered, rows["t-multi"].percent_right) == (4, 75.0)
    assert (rows["t-code"].times_answered, rows["t-code"].right_answers) == (0, 0)
    assert rows["t-code"].percent_right is None
    answered = annotate_answer_stats(Question.objects.all()).filter(times_answered__gt=0)
    assert [x.slug for x in answered.order_by("percent_right")] == ["t-role", "t-multi"]
    assert [x.slug for x in answered.order_by("-times_answered")] == ["t-multi", "t-role"]


def test_annotate_answer_stats_is_not_inflated_by_joins(q):
    role = q["t-role"]  # tags two codes, so filtering on codes joins two rows per answer
    record(role, 1, choices=pick(role, "403 Forbidden"))
    record(role, 2, choices=pick(role, "401 Unauthorized"))
    joined = annotate_answer_stats(Question.objects.filter(codes__code__in=[401, 403]))
    row = joined.get(slug="t-role")
    assert (row.times_answered, row.right_answers) == (3, 1)
    assert row.percent_right == pytest.approx(100 / 3)
