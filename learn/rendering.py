"""Authored Markdown to safe HTML: code links, anchors, server-side highlighting, sanitising.

Rendering is pure (same text, same HTML), so results are cached by a hash of the text and
an edit in the admin or a re-import simply produces a new key.
"""

import hashlib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html import unescape

import markdown
import nh3
from django.core.cache import cache
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from learn.lab.presets import BY_SLUG as LAB_PRESETS
from learn.registry import display_name

RENDERER_VERSION = "6"
# A line such as `<!-- example: django id=create-user -->` above a fenced block says how the
# test suite runs that block (learn/content/README.md); it never reaches the page.
EXAMPLE_ANNOTATION = re.compile(r"^<!-- example:.*?-->[ \t]*(?:\n|\Z)", re.MULTILINE | re.DOTALL)
CODE_REF = r"\[\[(\d{3})(?:\|([^\]\n]+))?\]\]"
LAB_REF = r"\[\[lab:([a-z0-9-]+)(?:\|([^\]\n]+))?\]\]"

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul", "kbd", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "abbr": {"title"},
    "code": {"class"},
    "div": {"class"},
    "pre": {"class"},
    "span": {"class"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "th": {"scope"},
}


@dataclass(frozen=True)
class Rendered:
    html: SafeString
    toc: list[dict] = field(default_factory=list)


class CodeRefProcessor(InlineProcessor):
    """`[[403]]` → a link to 403's reference page, labelled "403 Forbidden"."""

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        code = int(m.group(1))
        label = m.group(2) or f"{code} {display_name(code)}".strip()
        element = etree.Element("a")
        element.set("href", reverse("learn:code_detail", args=[code]))
        element.set("class", "code-ref")
        element.text = label
        return element, m.start(0), m.end(0)


class LabRefProcessor(InlineProcessor):
    """`[[lab:post-303]]` → a "Try it" link that opens the lab console on that experiment."""

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        preset = LAB_PRESETS.get(m.group(1))
        if preset is None:
            return None, None, None  # not an experiment: leave the text as written
        element = etree.Element("a")
        element.set("href", preset.url)
        element.set("class", "try-it")
        element.text = m.group(2) or f"Try it in the lab: {preset.title}"
        return element, m.start(0), m.end(0)


def strip_example_annotations(text: str) -> str:
    """The Markdown without the `<!-- example: ... -->` lines that tell tests how to run a block."""
    return EXAMPLE_ANNOTATION.sub("", text)


class ExampleAnnotationPreprocessor(Preprocessor):
    """Drops example annotations before any other Markdown processing sees them."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "<!-- example:" not in text:
            return lines
        return strip_example_annotations(text).split("\n")


class CodeRefExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.register(ExampleAnnotationPreprocessor(md), "example_annotation", 40)
        md.inlinePatterns.register(CodeRefProcessor(CODE_REF, md), "code_ref", 175)
        md.inlinePatterns.register(LabRefProcessor(LAB_REF, md), "lab_ref", 176)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", "toc", "codehilite", CodeRefExtension()],
        extension_configs={
            "codehilite": {"css_class": "codehilite", "guess_lang": False},
            "toc": {
                "permalink": "#",
                "permalink_class": "anchor",
                "permalink_title": "Link to this section",
                "toc_depth": "2-3",
            },
        },
        output_format="html",
    )


def _focusable_code(html: str) -> str:
    """Code blocks scroll sideways on small screens, so keyboard users must reach them."""
    return html.replace("<pre>", '<pre tabindex="0">')


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,  # links open in the same tab, so no opener to protect
    )


def _cached(kind: str, source: str, compute):
    """Memoise a pure rendering in the cache, keyed by a hash of its source."""
    digest = hashlib.sha256(source.encode()).hexdigest()
    key = f"{kind}:{RENDERER_VERSION}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=None)
    return value


def render_markdown(text: str) -> Rendered:
    """Render authored Markdown to sanitised HTML plus its table of contents (cached)."""

    def compute() -> Rendered:
        md = _markdown()
        html = _focusable_code(_sanitise(md.convert(text)))
        return Rendered(html=mark_safe(html), toc=_plain_toc(md.toc_tokens))  # noqa: S308

    return _cached("md", text, compute)


def _plain_toc(tokens: list[dict]) -> list[dict]:
    return [
        {
            "id": t["id"],
            "name": unescape(re.sub(r"<[^>]+>", "", t["name"])),
            "children": _plain_toc(t["children"]),
        }
        for t in tokens
    ]


def highlight_code(code: str, language: str) -> SafeString:
    """Highlight a snippet on the server; unknown languages come out as plain escaped text."""

    def compute() -> SafeString:
        try:
            lexer = get_lexer_by_name(language)
        except ClassNotFound:
            lexer = get_lexer_by_name("text")
        html = highlight(code, lexer, HtmlFormatter(cssclass="codehilite"))
        return mark_safe(_focusable_code(html))  # noqa: S308

    return _cached(f"hl-{language}", code, compute)
