"""Find live markup in a served page: what an XSS vector would leave if it got through.

CSP would stop most of it running in a browser anyway; this proves the site escapes and
sanitises, so the page is safe even without CSP.
"""

import re
from html.parser import HTMLParser

# Elements no page of the site has, which a vector would bring.
FOREIGN = {
    "applet", "audio", "base", "embed", "frame", "frameset", "iframe", "img", "isindex",
    "marquee", "math", "noscript", "object", "source", "style", "template", "video", "x-y",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x20]")


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        where = self.get_starttag_text()[:120]
        if tag == "script":
            self._script = True
            if not (named.get("src") or "").startswith("/static/"):
                self.problems.append(f"a script that is not the site's own: {where}")
        if tag in FOREIGN:
            self.problems.append(f"a <{tag}> element: {where}")
        if tag == "meta" and "http-equiv" in named:
            self.problems.append(f"a meta http-equiv: {where}")
        if tag == "link" and named.get("rel") not in ("stylesheet", "icon"):
            self.problems.append(f"a link that is not a stylesheet or icon: {where}")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"an event handler {name}=: {where}")
            if name == "data-xss" or (name == "id" and value.startswith("xss-")):
                self.problems.append(f"an injected element: {where}")
            if name == "style":
                self.problems.append(f"an inline style: {where}")
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(CONTROL.sub("", value)):
                self.problems.append(f"a {value.split(':')[0]}: URL in {name}=: {where}")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and data.strip():
            self.problems.append(f"an inline script: {data.strip()[:80]}")


def live_markup(html: str) -> list[str]:
    """What in `html` could run script or came from a vector as markup (empty when safe)."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems
