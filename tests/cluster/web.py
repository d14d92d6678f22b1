"""Plain HTTP for the cluster tests: exactly the request asked for, the response as it came
(no redirect followed, nothing decompressed), and a browser that keeps its cookies."""

import gzip
import http.client
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@dataclass
class Reply:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str, default: str = "") -> str:
        values = self.all(name)
        return ", ".join(values) if values else default

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    @property
    def text(self) -> str:
        body = self.body
        if self.header("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", "replace")


def request(
    base: str,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | str | None = None,
    timeout: float = 10,
) -> Reply:
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Reply(response.status, response.reason, response.getheaders(), data)
    finally:
        connection.close()


def missing_security_headers(reply: Reply) -> list[str]:
    """The security headers the reply lacks or carries wrongly (or more than once)."""
    problems = [
        f"{name}: {reply.all(name)}"
        for name, value in SECURITY_HEADERS.items()
        if reply.all(name) != [value]
    ]
    policies = reply.all("Content-Security-Policy")
    if len(policies) != 1 or "default-src 'self'" not in policies[0]:
        problems.append(f"Content-Security-Policy: {policies}")
    return problems


@dataclass
class Browser:
    """One visitor: cookies kept between requests, the CSRF token sent with each POST."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, **headers: str) -> Reply:
        return self.send("GET", path, headers=headers)

    def post(self, path: str, form: dict | list, **headers: str) -> Reply:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            **headers,
        }
        return self.send("POST", path, headers=headers, body=urlencode(form, doseq=True))

    def send(self, method: str, path: str, *, headers: dict, body: str | None = None) -> Reply:
        headers = {k.replace("_", "-"): v for k, v in headers.items()}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reply = request(self.base, method, path, headers=headers, body=body)
        for value in reply.all("Set-Cookie"):
            for name, morsel in SimpleCookie(value).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return reply

    def on(self, base: str) -> "Browser":
        """The same visitor (the same cookies, shared) talking to another address."""
        return Browser(base=base, cookies=self.cookies)
