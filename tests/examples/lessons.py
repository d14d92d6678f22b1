"""The lessons' fenced code blocks and the annotations that say how each one runs.

A lesson file is front matter plus a Markdown body (read here the way learn/services.py reads
it). Every fenced block in the body has an annotation on the line right above its fence:

    <!-- example: RUNNER [id=NAME] [key=value | key="a value"]... -->

learn/content/README.md documents the runners and their keys; this module only parses.
"""

import re
import shlex
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from learn.services import CONTENT_DIR, _split_front_matter

LESSONS_DIR = CONTENT_DIR / "lessons"
RUNNERS = {"django", "express", "http", "fetch", "curl", "fragment"}
# Which fence languages each runner accepts.
LANGUAGES = {
    "django": {"python"},
    "express": {"javascript"},
    "http": {"http"},
    "fetch": {"javascript"},
    "curl": {"bash"},
}
FENCE = re.compile(r"^```(?P<lang>[\w+-]*)[ \t]*$")
ANNOTATION = re.compile(r"<!-- example:(?P<spec>.*?)-->[ \t]*\n", re.DOTALL)
# Keys each runner understands; anything else is a typo worth failing on.
KEYS = {
    "django": {"id", "urls", "middleware", "settings", "continues", "seed"},
    "express": {"id", "continues", "seed", "env", "mount", "next"},
    "http": {"id", "against", "body", "seed", "settings", "csrf", "after", "varies", "sign"},
    "fetch": {
        *("id", "route", "given", "check", "throws", "continues"),
        *("origin", "page", "rewrite"),
    },
    "curl": {"id", "against", "origin", "seed", "varies"},
    "fragment": {"id", "why"},
}
REPEATABLE = {
    "urls",
    "route",
    "check",
    "middleware",
    "settings",
    "against",
    "given",
    "rewrite",
    "env",
}


class AnnotationError(ValueError):
    pass


@dataclass(frozen=True)
class Block:
    """One fenced code block of a lesson, with the annotation above it."""

    slug: str
    file: str
    index: int  # 1-based position among the lesson's blocks
    line: int  # the line of the opening fence in the file
    language: str
    code: str
    runner: str
    options: dict = field(hash=False, compare=False)

    @property
    def id(self) -> str:
        return self.options.get("id", [f"block-{self.index}"])[0]

    @property
    def key(self) -> str:
        """What test ids and failure messages call the block: `<slug>#<index>:<id>`."""
        return f"{self.slug}#{self.index}:{self.id}"

    @property
    def where(self) -> str:
        return (
            f"learn/content/lessons/{self.file} line {self.line} (block {self.index}, id {self.id})"
        )

    def get(self, key: str, default: str | None = None) -> str | None:
        values = self.options.get(key)
        return values[0] if values else default

    def all(self, key: str) -> list[str]:
        return list(self.options.get(key, []))


def parse_annotation(spec: str) -> tuple[str, dict[str, list[str]]]:
    try:
        words = shlex.split(spec.strip())
    except ValueError as error:
        raise AnnotationError(f"cannot split the annotation: {error}") from error
    if not words:
        raise AnnotationError("empty annotation: name a runner")
    runner, options = words[0], {}
    if runner not in RUNNERS:
        raise AnnotationError(f"unknown runner {runner!r} (one of {', '.join(sorted(RUNNERS))})")
    for word in words[1:]:
        key, sep, value = word.partition("=")
        if not sep:
            raise AnnotationError(f"{word!r} is not key=value")
        if key not in KEYS[runner]:
            raise AnnotationError(f"{runner} takes no {key!r} (it takes {sorted(KEYS[runner])})")
        if key in options and key not in REPEATABLE:
            raise AnnotationError(f"{key!r} given twice")
        options.setdefault(key, []).append(value)
    return runner, options


def parse_lesson(path: Path) -> tuple[list[Block], list[str]]:
    """The blocks of one lesson file, and the problems found in its annotations."""
    text = path.read_text(encoding="utf-8")
    parts = _split_front_matter(text)
    if parts is None:
        return [], [f"{path.name}: no front matter"]
    meta = yaml.safe_load(parts[0]) or {}
    slug = meta.get("slug", path.stem)
    body = parts[1]
    offset = text.count("\n", 0, len(text) - len(body))  # lines before the body
    lines = body.split("\n")
    blocks: list[Block] = []
    problems: list[str] = []
    number = 0
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        start = i
        end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == "```"), None)
        if end is None:
            problems.append(f"{path.name} line {offset + i + 1}: a fence that never closes")
            break
        number += 1
        before = "\n".join(lines[:start]) + "\n"
        annotations = list(ANNOTATION.finditer(before))
        where = f"learn/content/lessons/{path.name} line {offset + start + 1} (block {number})"
        language = match["lang"]
        runner, options = None, {}
        if annotations and before.endswith(annotations[-1].group(0)):
            try:
                runner, options = parse_annotation(annotations[-1]["spec"])
            except AnnotationError as error:
                problems.append(f"{where}: {error}")
        else:
            problems.append(
                f"{where}: no annotation on the line above the fence; add "
                "`<!-- example: RUNNER ... -->` (see learn/content/README.md)"
            )
        if not language:
            problems.append(f"{where}: the fence names no language")
        if runner and runner in LANGUAGES and language not in LANGUAGES[runner]:
            problems.append(f"{where}: a {runner} example must be a {LANGUAGES[runner]} block")
        if runner == "fragment" and not options.get("why"):
            problems.append(f"{where}: a fragment says why it cannot run (why=...)")
        if runner:
            blocks.append(
                Block(
                    slug=slug,
                    file=path.name,
                    index=number,
                    line=offset + start + 1,
                    language=language,
                    code="\n".join(lines[start + 1 : end]) + "\n",
                    runner=runner,
                    options=options,
                )
            )
        i = end + 1
    return blocks, problems


@cache
def collect() -> tuple[tuple[Block, ...], tuple[str, ...]]:
    """Every annotated block of every lesson, and every problem with the annotations."""
    blocks: list[Block] = []
    problems: list[str] = []
    for path in sorted(LESSONS_DIR.glob("*.md")):
        found, trouble = parse_lesson(path)
        blocks += found
        problems += trouble
    ids: dict[tuple[str, str], Block] = {}
    for block in blocks:
        if (block.slug, block.id) in ids:
            problems.append(f"{block.where}: id {block.id!r} is used twice in the lesson")
        ids[(block.slug, block.id)] = block
    return tuple(blocks), tuple(problems)


def blocks(runner: str | None = None) -> list[Block]:
    return [b for b in collect()[0] if runner is None or b.runner == runner]


def find(block: Block, reference: str) -> Block:
    """The block `reference` names: an id in the same lesson, or `<slug>/<id>` in another."""
    slug, _, name = reference.rpartition("/")
    slug = slug or block.slug
    for other in collect()[0]:
        if other.slug == slug and other.id == name:
            return other
    raise LookupError(f"{block.where}: no block {reference!r}")


def chain(block: Block) -> list[Block]:
    """The blocks a block continues (`continues=`), oldest first, then the block itself."""
    seen = [block]
    while seen[0].get("continues"):
        earlier = find(seen[0], seen[0].get("continues"))
        if earlier in seen:
            raise LookupError(f"{block.where}: continues= goes round in a circle")
        seen.insert(0, earlier)
    return seen


def ids(blocks: list[Block]) -> list[str]:
    return [b.key for b in blocks]
