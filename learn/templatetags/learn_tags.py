"""Template filters for authored Markdown and HTTP examples."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from learn.lab.presets import presets_for_codes, try_url
from learn.models import code_url
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


@register.simple_tag
def code_chip(code: int, name: str = "", *, full: bool = False) -> SafeString:
    """A status code as a chip linking its reference page, coloured by class: `404`, or with
    `full`, `404 Not Found`; the name is the link's title otherwise."""
    code = int(code)
    url = code_url(code)
    if full:
        return format_html(
            '<a class="chip class-{}" href="{}">{} {}</a>', code // 100, url, code, name
        )
    if name:
        return format_html(
            '<a class="chip class-{}" href="{}" title="{}">{}</a>', code // 100, url, name, code
        )
    return format_html('<a class="chip class-{}" href="{}">{}</a>', code // 100, url, code)


@register.simple_tag
def class_chip(digit) -> SafeString:
    """A class of codes as a chip: `4xx`."""
    digit = int(str(digit)[:1])
    return format_html('<span class="chip class-{}">{}xx</span>', digit, digit)
