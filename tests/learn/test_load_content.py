"""`load_content`: idempotent upserts with a report, and nothing written from a bad file."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from learn.models import Lesson, StatusCode
from learn.services import ContentError, content_load

pytestmark = pytest.mark.django_db

CODES = """\
codes:
  - code: 401
    name: Unauthorized
    former_names: []
    official: true
    spec: RFC 9110 §15.5.2
    spec_url: https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2
    summary: No valid credentials.
    when_to_use: "- no token"
    when_not_to_use: "- use [[403]] when the role lacks permission"
    headers: [{name: WWW-Authenticate, rule: MUST be sent.}]
    example: "GET / HTTP/1.1\\n\\nHTTP/1.1 401 Unauthorized\\n"
    mistakes: "- sending 500"
    related: [403]
    retry: no
    retry_note: Log in first.
  - code: 403
    name: Forbidden
    former_names: []
    official: true
    spec: RFC 9110 §15.5.4
    spec_url: ""
    summary: Authenticated but not allowed.
    when_to_use: ""
    when_not_to_use: ""
    headers: []
    example: ""
    mistakes: ""
    related: [401]
    retry: "no"
    retry_note: ""
"""
LESSON = """\
---
slug: auth
title: 401 vs 403
group: topics
position: 5
summary: Who you are versus what you may do.
takeaways: ["[[401]] is about identity."]
short_answer: >-
  [[401]] asks who you are; [[403]] says you may not. Logging in again does not fix a 403.
codes: [401, 403]
followups:
  - key: auth-difference
    question: What is the difference?
    answer: Identity versus permission.
    rubric:
      - point: "401 is about identity"
        phrasings: ["identity", "who you are"]
      - point: "403 is about permission"
        phrasings: ["permission", "not allowed"]
  - key: auth-hide-with-404
    question: When do you answer 404 instead?
    answer: When even admitting the resource exists would leak something.
    rubric:
      - point: "when the resource's existence is secret"
        phrasings: ["exists", "existence"]
      - point: "because a 403 would leak it"
        phrasings: ["leak"]
---
## Identity

Body text.
"""


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    (tmp_path / "codes").mkdir()
    (tmp_path / "lessons").mkdir()
    (tmp_path / "codes" / "4xx.yaml").write_text(CODES)
    (tmp_path / "lessons" / "auth.md").write_text(LESSON)
    StatusCode.objects.all().delete()
    Lesson.objects.all().delete()
    return tmp_path


def summary(results) -> dict[str, tuple[int, int, int]]:
    return {r.kind: (r.created, r.updated, r.unchanged) for r in results}


def test_first_load_creates_everything(content_dir):
    results = content_load(directory=content_dir)
    assert summary(results) == {"Status codes": (2, 0, 0), "Lessons": (1, 0, 0)}
    lesson = Lesson.objects.get(slug="auth")
    assert sorted(lesson.codes.values_list("code", flat=True)) == [401, 403]
    assert [f.key for f in lesson.followups.all()] == ["auth-difference", "auth-hide-with-404"]
    assert lesson.followups.first().question == "What is the difference?"
    assert list(StatusCode.objects.get(code=401).related.values_list("code", flat=True)) == [403]


def test_second_load_changes_nothing(content_dir):
    content_load(directory=content_dir)
    assert summary(content_load(directory=content_dir)) == {
        "Status codes": (0, 0, 2),
        "Lessons": (0, 0, 1),
    }


def test_an_edited_file_updates_only_what_changed(content_dir):
    content_load(directory=content_dir)
    lesson_file = content_dir / "lessons" / "auth.md"
    lesson_file.write_text(LESSON.replace("Body text.", "New body text."))
    assert summary(content_load(directory=content_dir))["Lessons"] == (0, 1, 0)
    assert "New body text." in Lesson.objects.get(slug="auth").body


def test_a_changed_follow_up_counts_as_an_update(content_dir):
    content_load(directory=content_dir)
    lesson_file = content_dir / "lessons" / "auth.md"
    lesson_file.write_text(LESSON.replace("Identity versus permission.", "Who vs what."))
    assert summary(content_load(directory=content_dir))["Lessons"] == (0, 1, 0)


def followup_ids(slug: str = "auth") -> dict[str, int]:
    return dict(Lesson.objects.get(slug=slug).followups.values_list("key", "pk"))


def test_an_edited_follow_up_keeps_its_row(content_dir):
    content_load(directory=content_dir)
    before = followup_ids()
    lesson_file = content_dir / "lessons" / "auth.md"
    lesson_file.write_text(
        LESSON.replace("What is the difference?", "How do 401 and 403 differ?").replace(
            "Identity versus permission.", "Who you are versus what you may do."
        )
    )
    assert summary(content_load(directory=content_dir))["Lessons"] == (0, 1, 0)
    assert followup_ids() == before
    followup = Lesson.objects.get(slug="auth").followups.get(key="auth-difference")
    assert followup.question == "How do 401 and 403 differ?"
    assert followup.answer == "Who you are versus what you may do."


def test_reordered_follow_ups_keep_their_rows(content_dir):
    content_load(directory=content_dir)
    before = followup_ids()
    first = LESSON.index("  - key: auth-difference")
    second = LESSON.index("  - key: auth-hide-with-404")
    end = LESSON.index("---\n## Identity")
    swapped = LESSON[:first] + LESSON[second:end] + LESSON[first:second] + LESSON[end:]
    (content_dir / "lessons" / "auth.md").write_text(swapped)
    assert summary(content_load(directory=content_dir))["Lessons"] == (0, 1, 0)
    assert followup_ids() == before
    lesson = Lesson.objects.get(slug="auth")
    assert [f.key for f in lesson.followups.all()] == ["auth-hide-with-404", "auth-difference"]


def test_a_follow_up_left_out_of_the_file_is_removed_and_a_new_key_is_added(content_dir):
    content_load(directory=content_dir)
    before = followup_ids()
    lesson_file = content_dir / "lessons" / "auth.md"
    lesson_file.write_text(LESSON.replace("key: auth-hide-with-404", "key: auth-when-404"))
    content_load(directory=content_dir)
    after = followup_ids()
    assert set(after) == {"auth-difference", "auth-when-404"}
    assert after["auth-difference"] == before["auth-difference"]
    assert after["auth-when-404"] not in before.values()


def test_a_follow_up_without_a_key_or_with_a_repeated_key_is_refused(content_dir):
    lesson_file = content_dir / "lessons" / "auth.md"
    lesson_file.write_text(
        LESSON.replace("key: auth-hide-with-404", "key: auth-difference").replace(
            "  - key: auth-difference\n    question: What", "  - question: What", 1
        )
    )
    with pytest.raises(ContentError) as error:
        content_load(directory=content_dir)
    assert error.value.problems == ["auth.md: follow-up 1: missing field 'key'"]

    lesson_file.write_text(LESSON.replace("key: auth-hide-with-404", "key: auth-difference"))
    with pytest.raises(ContentError) as error:
        content_load(directory=content_dir)
    assert error.value.problems == [
        "auth.md: follow-up 2 (auth-difference): key 'auth-difference' is used twice"
    ]


def test_an_edited_rubric_updates_the_follow_up_in_place(content_dir):
    content_load(directory=content_dir)
    before = followup_ids()
    lesson_file = content_dir / "lessons" / "auth.md"
    lesson_file.write_text(LESSON.replace('["leak"]', '["leak", "reveal"]'))
    assert summary(content_load(directory=content_dir))["Lessons"] == (0, 1, 0)
    assert followup_ids() == before
    followup = Lesson.objects.get(slug="auth").followups.get(key="auth-hide-with-404")
    assert followup.rubric[1] == {
        "point": "because a 403 would leak it",
        "phrasings": ["leak", "reveal"],
    }


@pytest.mark.parametrize(
    "old, new, problem",
    [
        (
            '      - point: "403 is about permission"\n'
            '        phrasings: ["permission", "not allowed"]\n',
            "",
            "auth.md: follow-up 1 (auth-difference): rubric: needs 2–5 points, has 1",
        ),
        (
            '["leak"]',
            "[]",
            "auth.md: follow-up 2 (auth-hide-with-404): rubric: point 2 (because a 403 would "
            "leak it) needs at least one phrasing",
        ),
        (
            'point: "401 is about identity"',
            'point: ""',
            "auth.md: follow-up 1 (auth-difference): rubric: point 1 has no text",
        ),
        (
            '        phrasings: ["identity", "who you are"]\n',
            "",
            "auth.md: follow-up 1 (auth-difference): rubric: point 1 needs exactly 'point' and "
            "'phrasings'",
        ),
    ],
)
def test_a_bad_rubric_is_refused_naming_the_file_and_follow_up(content_dir, old, new, problem):
    assert old in LESSON
    (content_dir / "lessons" / "auth.md").write_text(LESSON.replace(old, new, 1))
    with pytest.raises(ContentError) as error:
        content_load(directory=content_dir)
    assert error.value.problems == [problem]
    assert Lesson.objects.count() == 0


def test_a_follow_up_without_a_rubric_is_refused(content_dir):
    start = LESSON.index("    rubric:")
    end = LESSON.index("  - key: auth-hide-with-404")
    (content_dir / "lessons" / "auth.md").write_text(LESSON[:start] + LESSON[end:])
    with pytest.raises(ContentError) as error:
        content_load(directory=content_dir)
    assert error.value.problems == [
        "auth.md: follow-up 1 (auth-difference): missing field 'rubric'"
    ]


def test_a_follow_up_key_must_be_a_slug(content_dir):
    lesson_file = content_dir / "lessons" / "auth.md"
    lesson_file.write_text(LESSON.replace("key: auth-difference", "key: Auth difference!"))
    with pytest.raises(ContentError) as error:
        content_load(directory=content_dir)
    assert error.value.problems[0].startswith("auth.md: follow-up 1 (Auth difference!): key: ")


def test_a_bad_file_loads_nothing_and_says_where(content_dir):
    (content_dir / "lessons" / "broken.md").write_text(
        "---\nslug: broken\ntitle: Broken\ngroup: nowhere\nposition: 1\nsummary: s\n"
        "takeaways: []\nshort_answer: ''\ncodes: [999]\nfollowups: []\n---\nBody\n"
    )
    with pytest.raises(ContentError) as error:
        content_load(directory=content_dir)
    problems = "\n".join(error.value.problems)
    assert "broken.md: code 999 has no reference entry" in problems
    assert "broken.md: group" in problems
    assert "broken.md: 'short_answer' is empty: write the interview-ready answer" in problems
    assert StatusCode.objects.count() == 0
    assert Lesson.objects.count() == 0


def test_command_reports_counts_and_says_when_nothing_changed():
    out = StringIO()
    call_command("load_content", stdout=out)
    report = out.getvalue()
    assert "Status codes: 0 created, 0 updated," in report
    assert "Lessons: 0 created, 0 updated," in report
    assert "Nothing changed" in report


def test_command_fails_clearly_on_bad_content(content_dir, monkeypatch):
    (content_dir / "codes" / "bad.yaml").write_text("codes: [{code: 700}]\n")
    monkeypatch.setattr("learn.services.CONTENT_DIR", content_dir)
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", stdout=StringIO())
    assert StatusCode.objects.count() == 0
