"""Template filters for authored Markdown and HTTP examples."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from learn.lab.presets import presets_for_codes, try_url
from learn.rendering import highlight_code, render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Authored Markdown as sanitised HTML (cached)."""
    return render_markdown(text or "").html


@register.filter
def markdown_inline(text: str) -> SafeString:
    """One line of Markdown without its wrapping paragraph."""
    html = str(render_markdown(text or "").html).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 (already sanitised)


@register.filter
def http_exchange(text: str) -> SafeString:
    """A raw HTTP request/response, highlighted on the server."""
    return highlight_code(text or "", "http")


@register.filter
def highlight(code: str, language: str) -> SafeString:
    """A code snippet in `language`, highlighted on the server."""
    return highlight_code(code or "", language or "text")


@register.filter
def duration_text(value) -> str:
    """A timedelta as "3 min 20 s"."""
    seconds = max(0, int(value.total_seconds()))
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


@register.filter
def lab_experiments(codes) -> list:
    """The lab presets that show any of these status codes."""
    return presets_for_codes(code.code for code in codes)


@register.filter
def lab_try_url(code: int) -> str | None:
    """Where "Try it in the lab" goes for a status code."""
    return try_url(code)
