"""Template filters for questions: choices are inline Markdown wherever they show."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from learn.templatetags.learn_tags import markdown, markdown_inline

register = template.Library()


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
    """Why a typed wrong code is wrong, as Markdown, if the author explained that code."""
    why = (question.wrong_codes or {}).get(str(code)) if code is not None else None
    return markdown(why) if why else SafeString("")
