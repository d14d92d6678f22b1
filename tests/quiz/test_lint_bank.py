"""`manage.py lint_bank` on the shipped bank and the database, and the lint in the admin and in
import dry runs (warnings there, never a refusal)."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from quiz.models import Question
from tests.quiz.test_admin import question_data
from tests.quiz.test_importer import GOOD

pytestmark = pytest.mark.django_db
IMPORT = "/admin/quiz/question/import/"
LONG_KEY = GOOD.replace(
    '- {text: "403 Forbidden", correct: true}',
    '- {text: "403 Forbidden, because the role lacks the permission it needs", correct: true}',
)


def run(*args) -> str:
    out = StringIO()
    call_command("lint_bank", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_shipped_bank_passes_its_lint():
    report = run()
    assert report.startswith("Question bank")
    for figure in ("longest-key share", "true share", "subject coverage", "near-duplicates"):
        assert figure in report
    assert "63 of 63 registered codes" in report
    assert report.rstrip().endswith("OK")


def test_the_loaded_database_passes_its_lint_too():
    assert run("--database").rstrip().endswith("OK")


def test_a_bank_that_fails_exits_non_zero_and_says_why(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(LONG_KEY, encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="fails its lint"):
        call_command("lint_bank", str(path), stdout=out)
    report = out.getvalue()
    assert "t-role: long-key:" in report
    assert "registered codes are the subject of fewer than 2" in report
    assert report.rstrip().endswith("FAILED")


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nope.yaml"))


def test_the_change_form_shows_the_lint_as_warnings(admin_client, tmp_path):
    call_command("import_questions", _file(tmp_path, LONG_KEY), stdout=StringIO())
    question = Question.objects.get(slug="t-role")
    page = admin_client.get(f"/admin/quiz/question/{question.pk}/change/")
    assert page.status_code == HTTPStatus.OK
    assert "Bank lint" in page.text
    assert "<strong>long-key</strong>: the key “403 Forbidden, because the role" in page.text


def test_saving_a_question_with_warnings_saves_it_and_says_so(admin_client, quiz):
    data = question_data(
        choices=(("401", False, "No."), ("403 Forbidden, as the role lacks it", True, ""))
    )
    response = admin_client.post("/admin/quiz/question/add/", data, follow=True)
    assert Question.objects.filter(slug="admin-made").exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Saved, with") and "long-key" in m for m in messages), messages


def test_the_admin_dry_run_shows_the_lint(admin_client):
    upload = SimpleUploadedFile("long.yaml", LONG_KEY.encode(), content_type="application/yaml")
    page = admin_client.post(IMPORT, {"file": upload})
    assert page.status_code == HTTPStatus.OK
    assert "Bank lint: warnings" in page.text
    assert "t-role: <strong>long-key</strong>" in page.text
    assert not Question.objects.filter(slug="t-role").exists()  # still a dry run


def test_the_cli_dry_run_prints_the_lint(tmp_path):
    out = StringIO()
    call_command("import_questions", _file(tmp_path, LONG_KEY), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Dry run: nothing was changed." in text
    assert "Bank lint:" in text and "t-role: long-key:" in text


def _file(tmp_path, text: str) -> str:
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)
