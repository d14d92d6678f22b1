"""Authoring interview material in the admin: short answers, follow-up keys and rubrics."""

from http import HTTPStatus

import pytest
from django import forms

from learn.models import FollowUp, Lesson

pytestmark = pytest.mark.django_db

RUBRIC_TEXT = (
    "401 means no valid credentials | no valid credentials; not authenticated; expired token\n"
    "a 401 carries a challenge | WWW-Authenticate; challenge\n"
)


def form_values(form: forms.BaseForm) -> dict:
    """What the browser would post back for `form`, unchanged."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[form.add_prefix(name)] = "on"
        elif value is not None:
            data[form.add_prefix(name)] = (
                [str(v) for v in value] if isinstance(value, list) else value
            )
    return data


def lesson_form_data(response) -> dict:
    """The lesson change form with its follow-up inline, as the page sent it."""
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= form_values(formset.management_form)
        for form in formset.forms:
            data |= form_values(form)
    return data


@pytest.fixture
def lesson() -> Lesson:
    return Lesson.objects.get(slug="401-vs-403")


def change_url(lesson: Lesson) -> str:
    return f"/admin/learn/lesson/{lesson.pk}/change/"


def test_the_lesson_form_shows_the_short_answer_and_each_rubric_as_lines(admin_client, lesson):
    html = admin_client.get(change_url(lesson)).text
    assert 'name="short_answer"' in html
    assert 'name="followups-0-key" value="401-vs-403-difference"' in html
    assert (
        "401: the request has no valid credentials (not authenticated) | no valid credentials;"
        in html
    )
    assert "a 401 must carry a WWW-Authenticate challenge | WWW-Authenticate; challenge" in html


def test_an_untouched_lesson_form_saves_without_changing_the_rubrics(admin_client, lesson):
    before = list(lesson.followups.values_list("pk", "rubric"))
    data = lesson_form_data(admin_client.get(change_url(lesson)))
    response = admin_client.post(change_url(lesson), data)
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert list(lesson.followups.values_list("pk", "rubric")) == before


def test_the_short_answer_and_a_rubric_are_edited_on_the_lesson_page(admin_client, lesson):
    data = lesson_form_data(admin_client.get(change_url(lesson)))
    data["short_answer"] = "[[401]] asks who you are. [[403]] says no to a known identity."
    data["followups-0-rubric"] = RUBRIC_TEXT
    response = admin_client.post(change_url(lesson), data)
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    lesson.refresh_from_db()
    assert lesson.short_answer.startswith("[[401]] asks who you are.")
    followup = lesson.followups.get(key="401-vs-403-difference")
    assert followup.rubric == [
        {
            "point": "401 means no valid credentials",
            "phrasings": ["no valid credentials", "not authenticated", "expired token"],
        },
        {"point": "a 401 carries a challenge", "phrasings": ["WWW-Authenticate", "challenge"]},
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("only one point | one phrasing", "Rubric: needs 2–5 points, has 1."),
        ("a point without phrasings |\nanother | x", "needs at least one phrasing"),
        ("no bar on this line\nanother | x", "line 1: put &#x27;|&#x27; between the point"),
        ("", "Write 2–5 points, one per line: point | phrasing; phrasing."),
    ],
)
def test_an_invalid_rubric_is_shown_on_its_field_and_not_saved(admin_client, lesson, text, message):
    before = list(lesson.followups.values_list("rubric", flat=True))
    data = lesson_form_data(admin_client.get(change_url(lesson)))
    data["followups-0-rubric"] = text
    response = admin_client.post(change_url(lesson), data)
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    formset = response.context["inline_admin_formsets"][0].formset
    assert "rubric" in formset.forms[0].errors
    assert message in response.text
    assert list(lesson.followups.values_list("rubric", flat=True)) == before


def test_a_follow_up_has_its_own_admin_page_linked_from_the_lesson(admin_client, lesson):
    followup = lesson.followups.get(key="401-vs-403-difference")
    url = f"/admin/learn/followup/{followup.pk}/change/"
    assert url in admin_client.get(change_url(lesson)).text
    page = admin_client.get(url)
    assert page.status_code == HTTPStatus.OK
    data = form_values(page.context["adminform"].form)
    data["rubric"] = RUBRIC_TEXT + "a third point | 403; forbidden\n"
    response = admin_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    followup.refresh_from_db()
    assert [point["point"] for point in followup.rubric][-1] == "a third point"


def test_the_follow_up_list_counts_rubric_points(admin_client):
    response = admin_client.get("/admin/learn/followup/?q=401-vs-403-difference")
    assert response.status_code == HTTPStatus.OK
    assert '<td class="field-point_count">4</td>' in response.text
    assert FollowUp.objects.filter(key="401-vs-403-difference").count() == 1
