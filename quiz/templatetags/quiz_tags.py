"""Template filters for questions (choices are inline Markdown wherever they show) and the
interview drill's clock."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from learn.caching import is_personal
from learn.models import StatusCode
from learn.templatetags.learn_tags import markdown, markdown_inline
from quiz import selectors

register = template.Library()


@register.filter
def duration_clock(seconds) -> str:
    """Whole seconds as a clock face: "0:07", "1:23", "1:02:03"."""
    seconds = max(0, int(seconds or 0))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


@register.filter
def choices_inline(choices) -> SafeString:
    """Choices as sanitised inline Markdown, separated by a middle dot."""
    return format_html_join(" · ", "{}", ((markdown_inline(choice.text),) for choice in choices))


@register.filter
def right_answer(question) -> SafeString:
    """The right answer: its choices as inline Markdown, or the code or True/False."""
    if question.has_choices:
        return choices_inline(question.right_choices)
    return format_html("{}", question.right_answer_text())


@register.filter
def wrong_code_why(question, code) -> SafeString:
    """Why a typed wrong code is wrong: the author's note for that code, as Markdown, or else
    the code's meaning from the reference ("401 Unauthorized means: …") with its link."""
    if code is None:
        return SafeString("")
    why = (question.wrong_codes or {}).get(str(code))
    if why:
        return markdown(why)
    meaning = StatusCode.objects.filter(code=code).values_list("name", "summary").first()
    if meaning is None:
        return format_html("<p>{} is not a registered status code.</p>", code)
    url = reverse("learn:code_detail", args=[code])
    return format_html('<p><a href="{}">{} {}</a> means: {}</p>', url, code, *meaning)


@register.inclusion_tag("quiz/check.html", takes_context=True)
def check_yourself(context, lesson) -> dict:
    """The "check yourself" box at the end of a lesson: its questions answered in place, and a
    link to its full quiz. With no session, the same for everyone (the lesson page is cached)."""
    request = context["request"]
    learning = context.get("learning")
    learner = learning.learner if learning is not None and is_personal(request) else None
    attempt, cards = selectors.check_cards(learner, lesson)
    return {
        "lesson": lesson,
        "cards": cards,
        "attempt": attempt,
        "quiz": lesson.quizzes.filter(published=True).order_by("position").first(),
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "learning": learning,
    }
