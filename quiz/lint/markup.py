"""Markup that rendering loses: raw HTML the sanitiser drops, Markdown shown as typed, and code
links followed by the name they already show. Lengths are of the rendered text."""

import re
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser

from learn.registry import display_name
from learn.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from quiz.lint.finding import Finding


class _Text(HTMLParser):
    """The text a reader sees, and the same text outside code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.all: list[str] = []
        self.prose: list[str] = []
        self._code = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("code", "pre"):
            self._code += 1

    def handle_endtag(self, tag):
        if tag in ("code", "pre") and self._code:
            self._code -= 1

    def handle_data(self, data):
        self.all.append(data)
        if not self._code:
            self.prose.append(data)


@lru_cache(maxsize=4096)
def _rendered(text: str) -> tuple[str, str]:
    """(visible text, visible text outside code) of authored Markdown."""
    parser = _Text()
    parser.feed(str(render_markdown(text).html))
    parser.close()
    squash = lambda parts: re.sub(r"\s+", " ", unescape("".join(parts))).strip()  # noqa: E731
    return squash(parser.all), squash(parser.prose)


def rendered_length(text: str) -> int:
    """Characters a learner reads: Markdown rendered, `[[403]]` as "403 Forbidden"."""
    return len(_rendered(text or "")[0])


# Markup that rendering loses ------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^<>\s]*>", re.I)
_TAG = re.compile(r"<!--.*?(?:-->|\Z)|</?([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)/?>", re.S)
_ATTR = re.compile(r"([^\s=/\"'>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_SAFE_SCHEME = re.compile(r"^(?:https?:|mailto:|[^:]*$)", re.I)
_CODE_NAME = re.compile(r"\[\[(\d{3})\]\]\s+")


def _outside_code(text: str) -> str:
    return _CODE_SPAN.sub(" ", _FENCE.sub("\n", text))


def dropped_html(text: str) -> list[str]:
    """The raw HTML in authored Markdown that the sanitiser removes, outside code."""
    dropped = []
    for match in _TAG.finditer(_AUTOLINK.sub(" ", _outside_code(text or ""))):
        raw = match.group(0)
        tag = (match.group(1) or "").lower()
        if raw.startswith("<!--"):
            dropped.append("<!-- … -->")
        elif tag not in ALLOWED_TAGS:
            dropped.append(f"<{tag}>")
        else:
            allowed = ALLOWED_ATTRIBUTES.get(tag, set())
            for name, value in _ATTR.findall(match.group(2) or ""):
                value = value.strip("\"'")
                if name.lower() not in allowed:
                    dropped.append(f"{name}= on <{tag}>")
                elif name.lower() == "href" and not _SAFE_SCHEME.match(value.strip()):
                    dropped.append(f"the href of <{tag}>")
    return list(dict.fromkeys(dropped))


def literal_markup(text: str) -> list[str]:
    """Markdown a reader would see as typed: a stray backtick, `[[…`, `**`."""
    prose = _rendered(text or "")[1]
    return [mark for mark in ("`", "[[", "]]", "**") if mark in prose]


def names_twice(text: str) -> list[int]:
    """Codes written `[[304]] Not Modified`, which renders "304 Not Modified Not Modified"."""
    twice = []
    for match in _CODE_NAME.finditer(text or ""):
        code = int(match.group(1))
        name = display_name(code)
        after = re.sub(r"\s+", " ", text[match.end() : match.end() + len(name) + 20])
        if name and after.lower().startswith(name.lower()):
            twice.append(code)
    return twice


def markup_findings(slug: str, texts: list[tuple[str, str]]) -> list[Finding]:
    """Markup problems in (label, Markdown) pairs: the fields of one question or quiz."""
    findings = []
    for label, text in texts:
        if not text:
            continue
        dropped = dropped_html(text)
        if dropped:
            findings.append(
                Finding(
                    slug,
                    "dropped-html",
                    f"{label}: rendering removes {', '.join(dropped)}; put markup in backticks "
                    "or describe it in words",
                )
            )
        literal = literal_markup(text)
        if literal:
            findings.append(
                Finding(
                    slug,
                    "literal-markup",
                    f"{label}: learners would see {' and '.join(repr(m) for m in literal)} as "
                    "typed; close the code span or link",
                )
            )
        for code in names_twice(text):
            findings.append(
                Finding(
                    slug,
                    "code-name-twice",
                    f"{label}: [[{code}]] already reads “{code} {display_name(code)}”; drop the "
                    "name after it",
                )
            )
    return findings
