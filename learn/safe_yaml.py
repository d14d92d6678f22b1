"""YAML for content files, read strictly: every path (upload, pasted text, CLI, load_content).

Content files are small documents of strings, whole numbers, true/false and null, so that is
all this reader makes of them. Everything else YAML can do is refused with a message that
names the line, while the document is built, in one pass over libyaml's events:

- anchors and aliases (`&a`, `*a`): an alias bomb of a few hundred bytes expands to gigabytes;
- explicit tags (`!!timestamp`, `!!binary`, `!python/…`);
- nesting deeper than MAX_DEPTH and more than MAX_NODES values;
- numbers longer than MAX_DIGITS digits (Python refuses to parse 4,300-digit ones anyway);
- a key written twice in one mapping (YAML would silently keep the last);
- a file over MAX_BYTES.

Anything that looks like a date, a float, `yes` or `on` stays the text it is: `slug: 2001-13-45`
is the string "2001-13-45", not an invalid date.
"""

import re
from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 20
MAX_NODES = 100_000
MAX_DIGITS = 15

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_NO_KEY = object()

if yaml.__with_libyaml__:  # libyaml's parser: a 1 MB file is read in about half a second
    _Parser = yaml.cyaml.CParser
else:  # pragma: no cover (PyYAML built without libyaml)

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class YamlProblem(ValueError):
    """The text is not a content file this site reads; the message says where and why."""


def load(text: str, *, name: str) -> Any:
    """The document in `text`, or YamlProblem naming `name`, the line and the problem."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        raise YamlProblem(
            f"{name} is {size / 1_000_000:.1f} MB: content files are at most "
            f"{MAX_BYTES // 1000:,} KB"
        )
    return _parse(text, name)


class _Frame:
    """An open collection being built; a mapping remembers its pending key."""

    def __init__(self, mapping: bool):
        self.mapping = mapping
        self.value: dict | list = {} if mapping else []
        self.key: Any = _NO_KEY


def _parse(text: str, name: str) -> Any:
    """Build the document from the parser's events (iterative: no recursion to exhaust)."""
    nodes = 0
    stack: list[_Frame] = []
    document: Any = None
    parser = _Parser(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblem(
                    f"{_where(name, event)}: aliases (*{event.anchor}) are not allowed: write "
                    "the value out in full"
                )
            if isinstance(event, yaml.CollectionEndEvent):
                document = _add(stack, stack.pop().value, name, event)
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            if event.anchor is not None:
                raise YamlProblem(
                    f"{_where(name, event)}: anchors (&{event.anchor}) are not allowed: write "
                    "each value out in full"
                )
            if event.tag is not None and event.tag != "!":
                raise YamlProblem(
                    f"{_where(name, event)}: tags such as {event.tag} are not allowed: write "
                    "plain text, numbers, true/false and lists"
                )
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlProblem(f"{name}: more than {MAX_NODES:,} values: split the file")
            if isinstance(event, yaml.ScalarEvent):
                document = _add(stack, _scalar(event, name), name, event)
            elif len(stack) >= MAX_DEPTH:
                raise YamlProblem(f"{_where(name, event)}: nested more than {MAX_DEPTH} levels")
            else:
                stack.append(_Frame(isinstance(event, yaml.MappingStartEvent)))
    except yaml.YAMLError as error:
        raise YamlProblem(f"{name}: not valid YAML: {_first_line(error)}") from None
    finally:
        parser.dispose()
    return document


def _scalar(event, name: str) -> Any:
    """A plain scalar is null, true/false or a whole number if it looks like one; else text."""
    value = event.value
    if not event.implicit[0]:  # quoted or a block: always text
        return value
    if _NULL.match(value):
        return None
    if _TRUE.match(value):
        return True
    if _FALSE.match(value):
        return False
    if _INT.match(value):
        digits = len(value.lstrip("+-"))
        if digits > MAX_DIGITS:
            raise YamlProblem(
                f"{_where(name, event)}: a number of {digits:,} digits: numbers here have at "
                f"most {MAX_DIGITS} (quote it if it is text)"
            )
        return int(value)
    return value


def _add(stack: list[_Frame], value: Any, name: str, event) -> Any:
    """Put a finished value into the open collection, as a key or a value; with no collection
    open, it is the document."""
    if not stack:
        return value
    frame = stack[-1]
    if not frame.mapping:
        frame.value.append(value)
    elif frame.key is _NO_KEY:
        if isinstance(value, dict | list):
            raise YamlProblem(f"{_where(name, event)}: a key must be plain text or a number")
        if value in frame.value:
            raise YamlProblem(f"{_where(name, event)}: the key '{value}' appears twice here")
        frame.key = value
    else:
        frame.value[frame.key] = value
        frame.key = _NO_KEY
    return None


def _where(name: str, event) -> str:
    mark = getattr(event, "start_mark", None)
    return f"{name}: line {mark.line + 1}" if mark is not None else name


def _first_line(error: Exception) -> str:
    return " ".join(str(error).split("\n")[:3]).strip()
