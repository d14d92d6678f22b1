"""The admin as the authoring tool: validation, drafts, preview, actions, import, permissions."""

from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from learn.models import Lesson, StatusCode
from quiz.models import Question, Quiz
from tests.quiz.conftest import start
from tests.quiz.test_importer import GOOD

pytestmark = pytest.mark.django_db
ADD = "/admin/quiz/question/add/"
CHANGELIST = "/admin/quiz/question/"


def question_data(choices=(("401", False, "No."), ("403", True, ""), ("404", False, "")), **over):
    data = {
        "slug": "admin-made",
        "type": "single",
        "prompt": "The token is valid but the role lacks permission. Which status?",
        "snippet_language": "",
        "snippet_code": "",
        "answer_code": "",
        "answer_bool": "unknown",
        "explanation": "Authenticated but not allowed is 403.",
        "codes": [str(StatusCode.objects.get(code=403).pk)],
        "lesson": "",
        "difficulty": "1",
        "published": "on",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for i, (text, correct, why) in enumerate(choices):
        data[f"choices-{i}-position"] = str(i)
        data[f"choices-{i}-text"] = text
        data[f"choices-{i}-why"] = why
        if correct:
            data[f"choices-{i}-correct"] = "on"
    data.update(over)
    return data


def test_a_valid_question_is_saved_with_its_choices_and_quizzes(admin_client, quiz):
    response = admin_client.post(ADD, question_data(quizzes=[str(quiz.pk)]))
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    question = Question.objects.get(slug="admin-made")
    assert [c.text for c in question.choices.all()] == ["401", "403", "404"]
    assert list(question.quizzes.all()) == [quiz]


@pytest.mark.parametrize(
    "over, choices, message",
    [
        ({}, (("401", True, ""), ("403", True, "")), "needs exactly one correct choice (2 marked)"),
        ({}, (("401", False, ""), ("403", False, "")), "needs exactly one correct choice (0"),
        ({"type": "multiple"}, (("a", False, ""), ("b", False, "")), "at least one correct"),
        ({}, (("403", True, ""),), "The question needs at least two choices."),
        ({"type": "code", "answer_code": "99"}, (), "The answer must be a status code from 100"),
        ({"type": "code", "answer_code": "600"}, (), "The answer must be a status code from 100"),
        ({"type": "code", "answer_code": ""}, (), "The answer must be a status code from 100"),
        ({"type": "truefalse"}, (), "The answer must be true or false."),
        ({"explanation": "  "}, None, "This field is required."),
        ({"type": "code", "answer_code": "201"}, (("a", True, ""),), "A code question has no"),
    ],
)
def test_the_admin_enforces_the_importers_rules(admin_client, quiz, over, choices, message):
    data = question_data(**over) if choices is None else question_data(choices, **over)
    response = admin_client.post(ADD, data)
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert message in response.text
    assert not Question.objects.filter(slug="admin-made").exists()


def test_a_field_error_is_shown_on_its_field(admin_client, quiz):
    response = admin_client.post(ADD, question_data(type="code", answer_code="700"))
    form = response.context["adminform"].form
    assert "answer_code" in form.errors


def test_drafts_never_reach_learners(client, quiz):
    question = Question.objects.get(slug="t-code")
    attempt = start(client)
    Question.objects.filter(pk=question.pk).update(published=False)
    # An attempt keeps every question it holds (issue 13); new attempts never get a draft.
    assert client.get(f"/quiz/attempts/{attempt.pk}/2/").status_code == HTTPStatus.OK
    second = start(client)
    assert question.pk not in second.question_ids
    Quiz.objects.update(published=False)
    assert client.get("/quiz/test-quiz/").status_code == HTTPStatus.NOT_FOUND
    lesson = Lesson.objects.create(slug="draft", title="Draft", body="x", published=False)
    assert client.get(lesson.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_preview_shows_a_draft_question_to_staff_only(admin_client, client, quiz):
    question = Question.objects.get(slug="t-role")
    Question.objects.filter(pk=question.pk).update(published=False)
    url = f"/admin/quiz/question/{question.pk}/preview/"
    page = admin_client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert "It is a <strong>draft</strong>: learners cannot see it." in page.text
    assert "The token is valid but the role lacks permission" in page.text
    assert "Right!" in page.text and "Authenticated but not allowed is 403." in page.text
    assert "Picking “401 Unauthorized”" in page.text and "The caller is authenticated." in page.text
    change = admin_client.get(f"/admin/quiz/question/{question.pk}/change/")
    assert "Preview as learner" in change.text
    anonymous = client.get(url)
    assert anonymous.status_code == HTTPStatus.FOUND
    assert anonymous["Location"].startswith("/admin/login/")


def test_preview_shows_a_draft_lesson_to_staff_only(admin_client, client):
    lesson = Lesson.objects.create(
        slug="drafty", title="A draft lesson", body="## Heading\n\nSecret text.", published=False
    )
    url = f"/admin/learn/lesson/{lesson.pk}/preview/"
    page = admin_client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert "Secret text." in page.text and "A draft lesson" in page.text
    assert "Mark as done" not in page.text
    assert client.get(url).status_code == HTTPStatus.FOUND
    assert client.get("/learn/drafty/").status_code == HTTPStatus.NOT_FOUND


def test_publish_and_unpublish_actions_are_logged(admin_client, admin_user, quiz):
    ids = [str(pk) for pk in Question.objects.values_list("pk", flat=True)]
    published = Question.objects.filter(published=True).count()  # the bank keeps retired ones
    admin_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": ids})
    assert not Question.objects.filter(published=True).exists()
    admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": ids[:1]})
    assert Question.objects.filter(published=True).count() == 1
    entries = LogEntry.objects.filter(user=admin_user).order_by("action_time")
    assert entries.count() == published + 1
    assert entries.last().get_change_message() == "Published (admin action)."


def test_add_to_quiz_action_asks_for_the_quiz_then_adds(admin_client, quiz):
    other = Quiz.objects.create(slug="other", title="Other quiz")
    ids = [str(pk) for pk in Question.objects.values_list("pk", flat=True)[:2]]
    ask = admin_client.post(CHANGELIST, {"action": "add_to_quiz", "_selected_action": ids})
    assert ask.status_code == HTTPStatus.OK
    assert "Other quiz" in ask.text
    done = admin_client.post(
        CHANGELIST,
        {"action": "add_to_quiz", "_selected_action": ids, "quiz": str(other.pk), "apply": "1"},
        follow=True,
    )
    assert other.questions.count() == 2
    assert "Added 2 questions to “Other quiz”" in done.text


def test_export_action_downloads_yaml_that_imports(admin_client, quiz):
    ids = [str(pk) for pk in Question.objects.values_list("pk", flat=True)]
    response = admin_client.post(CHANGELIST, {"action": "export_yaml", "_selected_action": ids})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith('attachment; filename="questions-')
    text = response.content.decode()
    assert "slug: t-role" in text


def test_history_shows_who_changed_a_question(admin_client, admin_user, quiz):
    question = Question.objects.get(slug="t-code")
    data = question_data((), slug="t-code", type="code", answer_code="201")
    response = admin_client.post(f"/admin/quiz/question/{question.pk}/change/", data)
    assert response.status_code == HTTPStatus.FOUND
    history = admin_client.get(f"/admin/quiz/question/{question.pk}/history/").text
    assert admin_user.username in history
    assert "Changed" in history


def test_list_columns_filters_and_search(admin_client, quiz):
    page = admin_client.get(CHANGELIST + "?class=5&q=5xx")
    assert page.status_code == HTTPStatus.OK
    assert "t-multi" in page.text and "t-role" not in page.text
    assert "502, 504" in page.text
    page = admin_client.get(CHANGELIST + "?code=201")
    assert "t-code" in page.text and "t-tf" not in page.text
    assert admin_client.get(CHANGELIST + "?o=7").status_code == HTTPStatus.OK  # by % right


# Import -----------------------------------------------------------------------------------------


IMPORT = "/admin/quiz/question/import/"


def upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="application/yaml")


def test_import_dry_run_changes_nothing_then_confirm_imports(admin_client):
    before = Question.objects.count()
    page = admin_client.post(IMPORT, {"file": upload("new.yaml", GOOD)})
    assert page.status_code == HTTPStatus.OK
    assert "Dry run of new.yaml" in page.text
    assert Question.objects.count() == before
    results = {r.kind: r.created for r in page.context["results"]}
    assert results == {"Questions": 4, "Quizzes": 1}
    done = admin_client.post(
        IMPORT, {"name": "new.yaml", "text": GOOD, "confirm": "yes"}, follow=True
    )
    assert "Imported new.yaml: Questions: 4 created" in done.text
    assert Question.objects.count() == before + 4
    logged = LogEntry.objects.filter(change_message__contains="Imported from new.yaml")
    assert logged.count() == 4


def test_a_bad_file_imports_nothing_and_shows_the_errors(admin_client):
    before = Question.objects.count()
    bad = GOOD.replace("answer: 201", "answer: 999")
    page = admin_client.post(IMPORT, {"file": upload("bad.yaml", bad)})
    assert page.status_code == HTTPStatus.BAD_REQUEST
    assert "bad.yaml: t-code: answer: must be a status code from 100 to 599" in page.text
    confirm = admin_client.post(IMPORT, {"name": "bad.yaml", "text": bad, "confirm": "yes"})
    assert confirm.status_code == HTTPStatus.BAD_REQUEST
    assert Question.objects.count() == before


@pytest.mark.parametrize(
    "data, status, message",
    [
        ({}, HTTPStatus.BAD_REQUEST, "Choose a YAML question file"),
        ({"file": upload("x.yaml", b"\xff\xfe")}, HTTPStatus.BAD_REQUEST, "not UTF-8 text"),
        ({"file": upload("x.yaml", "a: [")}, HTTPStatus.BAD_REQUEST, "not valid YAML"),
        (
            {"file": upload("big.yaml", "#" * 1_000_001)},
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "too large",
        ),
    ],
)
def test_bad_uploads_get_a_clear_4xx(admin_client, data, status, message):
    page = admin_client.post(IMPORT, data)
    assert page.status_code == status
    assert message in page.text


# Permissions and log-in -------------------------------------------------------------------------


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "sam", password="a-long-passphrase-1", is_staff=True
    )


def test_the_authors_group_can_write_content_and_nothing_else():
    group = Group.objects.get(name="Authors")
    perms = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    for model in ["learn.lesson", "learn.statuscode", "learn.followup", "quiz.question",
                  "quiz.choice", "quiz.quiz"]:  # fmt: skip
        app, name = model.split(".")
        for action in ["add", "change", "delete", "view"]:
            assert f"{app}.{action}_{name}" in perms
    assert len(perms) == 24
    assert not any(p.split(".")[0] == "auth" for p in perms)


def test_a_staff_author_can_author(client, staff, quiz):
    staff.groups.add(Group.objects.get(name="Authors"))
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == HTTPStatus.OK
    assert client.get("/admin/learn/lesson/").status_code == HTTPStatus.OK
    response = client.post(ADD, question_data())
    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/admin/auth/user/").status_code == HTTPStatus.FORBIDDEN
    assert client.get("/admin/auth/group/").status_code == HTTPStatus.FORBIDDEN


def test_staff_outside_the_group_cannot_reach_content(client, staff, quiz):
    client.force_login(staff)
    for path in [CHANGELIST, ADD, "/admin/learn/lesson/", IMPORT, "/admin/quiz/question/flagged/"]:
        assert client.get(path).status_code == HTTPStatus.FORBIDDEN, path
    question = Question.objects.first()
    preview = client.get(f"/admin/quiz/question/{question.pk}/preview/")
    assert preview.status_code == HTTPStatus.FORBIDDEN


def test_repeated_failed_admin_log_ins_get_429_with_retry_after(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "sam", "password": "wrong"})
        assert response.status_code == HTTPStatus.OK  # the form again
    response = client.post("/admin/login/", {"username": "sam", "password": "wrong"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == str(15 * 60)
    assert "Too many failed log-ins came from your network" in response.text
    # Even the right password is refused while locked out.
    right = client.post("/admin/login/", {"username": "sam", "password": "a-long-passphrase-1"})
    assert right.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_site_log_in_is_guarded_too(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "sam", "password": "wrong"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"]


def test_a_right_password_resets_the_count(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/admin/login/", {"username": "sam", "password": "wrong"})
    ok = client.post("/admin/login/", {"username": "sam", "password": "a-long-passphrase-1"})
    assert ok.status_code == HTTPStatus.FOUND
    client.logout()
    again = client.post("/admin/login/", {"username": "sam", "password": "wrong"})
    assert again.status_code == HTTPStatus.OK


def test_lesson_publish_actions_hide_and_show_a_lesson(admin_client, client):
    lesson = Lesson.objects.create(slug="to-hide", title="To hide", body="x", position=1)
    assert client.get("/learn/to-hide/").status_code == HTTPStatus.OK
    done = admin_client.post(
        "/admin/learn/lesson/",
        {"action": "unpublish", "_selected_action": [str(lesson.pk)]},
        follow=True,
    )
    assert "Unpublished 1 lesson." in done.text
    assert client.get("/learn/to-hide/").status_code == HTTPStatus.NOT_FOUND
    admin_client.post(
        "/admin/learn/lesson/", {"action": "publish", "_selected_action": [str(lesson.pk)]}
    )
    assert client.get("/learn/to-hide/").status_code == HTTPStatus.OK
    assert LogEntry.objects.filter(object_id=str(lesson.pk)).count() == 2
