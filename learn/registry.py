"""The IANA HTTP Status Code Registry as facts the code relies on (names per RFC 9110)."""

from dataclasses import dataclass
from http import HTTPStatus

# Every registered code and its current registry name. Python 3.11's HTTPStatus still uses
# some pre-RFC 9110 names (413, 416, 422), so the registry is written out here.
REGISTERED: dict[int, str] = {
    100: "Continue",
    101: "Switching Protocols",
    102: "Processing",
    103: "Early Hints",
    200: "OK",
    201: "Created",
    202: "Accepted",
    203: "Non-Authoritative Information",
    204: "No Content",
    205: "Reset Content",
    206: "Partial Content",
    207: "Multi-Status",
    208: "Already Reported",
    226: "IM Used",
    300: "Multiple Choices",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    305: "Use Proxy",
    306: "(Unused)",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    407: "Proxy Authentication Required",
    408: "Request Timeout",
    409: "Conflict",
    410: "Gone",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    416: "Range Not Satisfiable",
    417: "Expectation Failed",
    418: "(Unused)",
    421: "Misdirected Request",
    422: "Unprocessable Content",
    423: "Locked",
    424: "Failed Dependency",
    425: "Too Early",
    426: "Upgrade Required",
    428: "Precondition Required",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    451: "Unavailable For Legal Reasons",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    505: "HTTP Version Not Supported",
    506: "Variant Also Negotiates",
    507: "Insufficient Storage",
    508: "Loop Detected",
    510: "Not Extended",
    511: "Network Authentication Required",
}

# Names people still use for a code, shown in links where the registry name says little.
COMMON_NAMES: dict[int, str] = {418: "I'm a teapot"}

# RFC 9110 §15.1: responses with these codes are heuristically cacheable (a cache may store
# them without explicit freshness information); RFC 7725 §3 adds 451.
HEURISTICALLY_CACHEABLE = frozenset(
    {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 451, 501}
)


@dataclass(frozen=True)
class Citation:
    label: str
    url: str


RFC9110_15_1 = Citation("RFC 9110 §15.1", "https://www.rfc-editor.org/rfc/rfc9110#section-15.1")
RFC9111_3 = Citation("RFC 9111 §3", "https://www.rfc-editor.org/rfc/rfc9111#section-3")


def _rfc6585(section: int) -> Citation:
    return Citation(
        f"RFC 6585 §{section}", f"https://www.rfc-editor.org/rfc/rfc6585#section-{section}"
    )


# Where the spec itself says caches must not store a response with the code: only final
# responses are stored (RFC 9111 §3), and RFC 6585 forbids storing each of its four codes.
NEVER_STORED: dict[int, Citation] = {
    100: RFC9111_3,
    101: RFC9111_3,
    102: RFC9111_3,
    103: RFC9111_3,
    428: _rfc6585(3),
    429: _rfc6585(4),
    431: _rfc6585(5),
    511: _rfc6585(6),
}
HEURISTIC_CITATIONS: dict[int, Citation] = {
    **dict.fromkeys(HEURISTICALLY_CACHEABLE, RFC9110_15_1),
    451: Citation("RFC 7725 §3", "https://www.rfc-editor.org/rfc/rfc7725#section-3"),
}


@dataclass(frozen=True)
class Cacheability:
    """Whether a cache may store a response with this code, and the citation that says so."""

    state: str  # "heuristic", "explicit" or "never"
    label: str
    citation: Citation


def cacheability(code: int) -> Cacheability:
    """One of three states: heuristically cacheable (stored without explicit freshness),
    cacheable only with explicit freshness (`Cache-Control: max-age`, `Expires`), or never
    stored, each with the section that makes it so."""
    if code in NEVER_STORED:
        label = (
            "Never: caches store only final responses"
            if code < 200
            else "Never: caches must not store it"
        )
        return Cacheability("never", label, NEVER_STORED[code])
    if code in HEURISTIC_CITATIONS:
        return Cacheability(
            "heuristic",
            "Yes: a cache may store it without explicit freshness",
            HEURISTIC_CITATIONS[code],
        )
    return Cacheability("explicit", "Only with explicit freshness", RFC9111_3)


CLASS_NAMES: dict[int, str] = {
    1: "Informational",
    2: "Successful",
    3: "Redirection",
    4: "Client error",
    5: "Server error",
}


def display_name(code: int) -> str:
    """The name to show beside a number: the registry's, or the common one for joke codes."""
    return COMMON_NAMES.get(code) or REGISTERED.get(code, "")


def python_names() -> set[int]:
    """Codes Python's standard library knows, all of which the registry must cover."""
    return {status.value for status in HTTPStatus}
