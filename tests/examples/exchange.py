"""Worked exchanges (the lessons' `http` blocks): parse them, replay them, compare the answer.

An `http` block holds one or more exchanges: a request (request line, headers, blank line,
body), then one or more responses (interim 1xx ones first). Conventions the lessons follow:

- a body that is one line in parentheses, "(the client now sends the 2,000,000 bytes)", is a
  description, not bytes: a request gets that many filler bytes (its Content-Length, or a few),
  a response body is not compared;
- a response body ending in "..." must start with the text before the dots;
- a JSON body is compared as JSON; other text exactly (or as a part, with `body=contains`);
- a shown `Content-Type` without parameters matches any charset; `Date` only has to be there;
- the reason phrase is not compared: servers word it differently (that is a lesson too).
"""

import contextlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field

REQUEST_LINE = re.compile(r"^(?P<method>[A-Z]+) (?P<target>\S+) HTTP/(?P<version>\d(?:\.\d)?)$")
STATUS_LINE = re.compile(r"^HTTP/(?P<version>\d(?:\.\d)?) (?P<status>\d{3})(?: (?P<reason>.*))?$")
HEADER = re.compile(r"^(?P<name>[A-Za-z0-9!#$%&'*+.^_`|~-]+):[ \t]*(?P<value>.*?)[ \t]*$")
DESCRIPTION = re.compile(r"^\(.*\)$", re.DOTALL)
PRESENCE_ONLY = {"date"}


class ExchangeError(AssertionError):
    pass


@dataclass
class Message:
    start: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""

    @property
    def described(self) -> bool:
        """The body is a description in parentheses, not the bytes themselves."""
        return bool(DESCRIPTION.match(self.body.strip()))

    def header(self, name: str) -> str | None:
        values = [v for n, v in self.headers if n.lower() == name.lower()]
        return values[0] if values else None


@dataclass
class Request(Message):
    @property
    def method(self) -> str:
        return REQUEST_LINE.match(self.start)["method"]

    @property
    def target(self) -> str:
        return REQUEST_LINE.match(self.start)["target"]

    def body_bytes(self) -> bytes:
        """What to send: the shown body, or filler for a described or missing one."""
        if self.body and not self.described:
            return self.body.encode()
        length = self.header("Content-Length")
        return b"x" * (int(length) if length else 16)


@dataclass
class Response(Message):
    @property
    def status(self) -> int:
        return int(STATUS_LINE.match(self.start)["status"])


@dataclass
class Exchange:
    request: Request
    responses: list[Response]

    @property
    def final(self) -> Response:
        return self.responses[-1]

    @property
    def interim(self) -> list[Response]:
        return self.responses[:-1]


def parse(text: str) -> list[Exchange]:
    """The exchanges in an `http` block, in order."""
    messages: list[Message] = []
    lines = text.rstrip("\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if REQUEST_LINE.match(line):
            message: Message = Request(line)
        elif STATUS_LINE.match(line):
            message = Response(line)
        else:
            if messages and isinstance(messages[-1], Response) and messages[-1].status < 200:
                i += 1  # narration after an interim response ("the client now sends ...")
                continue
            raise ExchangeError(f"line {i + 1}: expected a request or status line: {line!r}")
        i += 1
        while i < len(lines) and lines[i].strip():
            header = HEADER.match(lines[i])
            if not header:
                raise ExchangeError(f"line {i + 1}: not a header: {lines[i]!r}")
            message.headers.append((header["name"], header["value"]))
            i += 1
        body: list[str] = []
        if not (isinstance(message, Response) and message.status < 200):
            i += 1
            while i < len(lines) and not (
                REQUEST_LINE.match(lines[i]) or STATUS_LINE.match(lines[i])
            ):
                body.append(lines[i])
                i += 1
        message.body = "\n".join(body).strip("\n")
        messages.append(message)
    exchanges: list[Exchange] = []
    for message in messages:
        if isinstance(message, Request):
            exchanges.append(Exchange(message, []))
        elif not exchanges:
            raise ExchangeError("a response with no request before it")
        else:
            exchanges[-1].responses.append(message)
    for exchange in exchanges:
        if not exchange.responses:
            raise ExchangeError(f"{exchange.request.start!r} has no response")
    return exchanges


@dataclass
class Actual:
    """What a server really answered."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    interim: list[tuple[int, list[tuple[str, str]]]] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def describe(self) -> str:
        head = "\n".join(f"{n}: {v}" for n, v in self.headers)
        early = "".join(f"{code} (interim)\n" for code, _ in self.interim)
        return f"{early}{self.status}\n{head}\n\n{self.body[:600].decode(errors='replace')}"


def _media(value: str) -> str:
    return value.split(";")[0].strip().lower()


def _subset(shown, actual) -> bool:
    if isinstance(shown, dict):
        return isinstance(actual, dict) and all(
            k in actual and _subset(v, actual[k]) for k, v in shown.items()
        )
    if isinstance(shown, list):
        return (
            isinstance(actual, list)
            and len(shown) == len(actual)
            and all(_subset(s, a) for s, a in zip(shown, actual, strict=True))
        )
    return shown == actual


def _blank(data, fields: set[str]):
    """The JSON with the values of `fields` replaced by their type (ids made per request)."""
    if isinstance(data, dict):
        return {k: type(v).__name__ if k in fields else _blank(v, fields) for k, v in data.items()}
    if isinstance(data, list):
        return [_blank(v, fields) for v in data]
    return data


def compare(
    shown: Response, actual: Actual, *, body_mode: str = "exact", varies: set[str] = frozenset()
) -> list[str]:
    """The differences between the response a lesson shows and the one the server sent.

    `varies` names JSON members whose values change with every request (an error id), which
    must be there with a value of the same type, and headers whose numbers depend on timing
    (`retry-after`), which must read the same apart from the digits.
    """
    problems: list[str] = []
    if shown.status != actual.status:
        problems.append(f"status: the lesson shows {shown.status}, the server sent {actual.status}")
    names: dict[str, list[str]] = {}
    for name, value in shown.headers:
        names.setdefault(name.lower(), []).append(value)
    for name, values in names.items():
        got = actual.values(name)
        if name in PRESENCE_ONLY:
            ok = bool(got)
        elif name in varies:  # counts that depend on timing: the same text around the numbers
            ok = [re.sub(r"\d+", "N", v) for v in got] == [re.sub(r"\d+", "N", v) for v in values]
        elif name == "content-type" and ";" not in values[0]:
            ok = len(got) == 1 and _media(got[0]) == _media(values[0])
        else:  # several lines of one field mean the same as one comma-joined line
            ok = ", ".join(got) == ", ".join(values)
        if not ok:
            problems.append(f"header {name}: the lesson shows {values}, the server sent {got}")
    body = shown.body
    text = actual.body.decode("utf-8", errors="replace")
    if not body or shown.described or body_mode == "any":
        return problems
    if body.endswith("..."):
        if not text.startswith(body[:-3]):
            problems.append(f"body should start with {body[:-3]!r}, got {text[:200]!r}")
        return problems
    try:
        shown_json = json.loads(body)
    except ValueError:
        shown_json = None
    if shown_json is not None:
        try:
            got_json = json.loads(text)
        except ValueError:
            problems.append(f"body: the lesson shows JSON, the server sent {text[:200]!r}")
            return problems
        shown_json, got_json = _blank(shown_json, varies), _blank(got_json, varies)
        same = _subset(shown_json, got_json) if body_mode == "subset" else shown_json == got_json
        if not same:
            problems.append(f"body: the lesson shows {shown_json}, the server sent {got_json}")
    elif body_mode == "contains":
        if " ".join(body.split()) not in " ".join(text.split()):
            problems.append(f"body should contain {body!r}, got {text[:300]!r}")
    elif body.strip() != text.strip():
        problems.append(f"body: the lesson shows {body!r}, the server sent {text[:300]!r}")
    return problems


# A small HTTP/1.1 client over a socket: it sees interim responses and sends exactly the
# request the lesson shows (http.client hides 1xx and adds headers of its own).


def _read_head(sock_file) -> tuple[int, list[tuple[str, str]]]:
    line = sock_file.readline()
    if not line:
        raise ExchangeError("the server closed the connection without answering")
    match = STATUS_LINE.match(line.decode("latin-1").rstrip("\r\n"))
    if not match:
        raise ExchangeError(f"not a status line: {line!r}")
    headers = []
    while True:
        raw = sock_file.readline().decode("latin-1").rstrip("\r\n")
        if not raw:
            break
        name, _, value = raw.partition(":")
        headers.append((name.strip(), value.strip()))
    return int(match["status"]), headers


def _read_body(sock_file, method: str, status: int, headers: list[tuple[str, str]]) -> bytes:
    lower = {n.lower(): v for n, v in headers}
    if method == "HEAD" or status in (204, 304) or status < 200:
        return b""
    if lower.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(sock_file.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while sock_file.readline().strip():
                    pass
                return b"".join(chunks)
            chunks.append(sock_file.read(size))
            sock_file.readline()
    if "content-length" in lower:
        return sock_file.read(int(lower["content-length"]))
    return sock_file.read()


SIZED = re.compile(r"\((?P<size>\d+) KB of [^)]*\)")


def expand(value: str) -> str:
    """A header value described as "... (32 KB of cookies)" is sent at that size."""
    match = SIZED.search(value)
    if not match:
        return value
    start = value[: match.start()].rstrip()
    return start + " " + "x" * (int(match["size"]) * 1024 - len(start))


def send(request: Request, port: int, *, host: str = "127.0.0.1", timeout: float = 10) -> Actual:
    """Send the lesson's request to 127.0.0.1:port; read interim responses and the final one.

    The body goes out from a thread, so a server that answers before reading it all (a 413
    from the Content-Length, say) is heard, as a real client would hear it.
    """
    body = request.body_bytes() if (request.body or request.header("Content-Length")) else b""
    headers = [(name, expand(value)) for name, value in request.headers]
    if request.header("Host") is None:
        headers.insert(0, ("Host", "localhost"))
    if body and request.header("Content-Length") is None:
        headers.append(("Content-Length", str(len(body))))
    if request.header("Connection") is None and request.header("Upgrade") is None:
        headers.append(("Connection", "close"))
    head = f"{request.start}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers) + "\r\n"
    expect = (request.header("Expect") or "").lower() == "100-continue"
    interim: list[tuple[int, list[tuple[str, str]]]] = []
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(head.encode("latin-1"))
        sock_file = sock.makefile("rb")
        sender: threading.Thread | None = None

        def send_body() -> None:
            # If the server answers early and closes, that answer is what counts.
            with contextlib.suppress(OSError):
                sock.sendall(body)

        if body and not expect:
            sender = threading.Thread(target=send_body, daemon=True)
            sender.start()
        try:
            while True:
                status, response_headers = _read_head(sock_file)
                if status == 101:
                    return Actual(status, response_headers, b"", interim)
                if 100 <= status < 200:
                    interim.append((status, response_headers))
                    if status == 100 and body and sender is None:
                        sender = threading.Thread(target=send_body, daemon=True)
                        sender.start()
                    continue
                data = _read_body(sock_file, request.method, status, response_headers)
                return Actual(status, response_headers, data, interim)
        finally:
            if sender is not None:
                with contextlib.suppress(OSError):  # already closed by the server
                    sock.shutdown(socket.SHUT_RDWR)
                sender.join(timeout=5)


def wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise ExchangeError(f"nothing listens on 127.0.0.1:{port}")


def check(
    exchange: Exchange, actual: Actual, *, body_mode: str = "exact", varies: str = ""
) -> list[str]:
    """Compare the whole exchange: interim responses first, then the final one."""
    problems = []
    shown_interim = [r.status for r in exchange.interim]
    got_interim = [code for code, _ in actual.interim]
    if shown_interim and shown_interim != got_interim:
        problems.append(f"interim responses: the lesson shows {shown_interim}, got {got_interim}")
    for shown, (_code, headers) in zip(exchange.interim, actual.interim, strict=False):
        problems += [
            f"interim {shown.status}: {p}"
            for p in compare(shown, Actual(shown.status, headers, b""), body_mode="any")
        ]
    fields = {name.strip().lower() for name in varies.split(",") if name.strip()}
    return problems + compare(exchange.final, actual, body_mode=body_mode, varies=fields)
