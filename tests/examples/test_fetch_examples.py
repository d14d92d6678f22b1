"""The lessons' fetch() examples, run in Chromium against the lab (or an Express example).

Each block runs inside an async function on a page of the live site (http://localhost:PORT),
after its `given=` statements and before its `check=` statements, which see its variables.
`route="/api/users/42 -> /lab/api/status/404"` answers a URL the lesson uses with what the lab
answers at the other path (redirects included, so the browser follows them itself);
`rewrite="https://api.example -> {express:ID}"` replaces a host the code names with a local one
(a route cannot stand in for another origin: Playwright relaxes CORS on what it fulfils).
`queryCore()` imports the pinned @tanstack/query-core (React Query's engine) into the page.
In `given`/`check`/`route`, `{cross}` is this site under another origin
(http://127.0.0.1:PORT, so Chromium applies CORS for real) and `{express:ID}` is the origin of a
running Express example. A `console.log(x); // 404` line must log what its comment starts with.
`throws="TypeError"` says the block is expected to throw; `page=` that it runs on another page
than the lab's (an Express example's, say), and `origin=https://www.example.com` that the
lesson's comments show that page's URLs there. Any request to another host fails the test.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.examples.lessons import Block, blocks, chain, find
from tests.examples.runners import NODE_DIR, node_packages

pytestmark = [pytest.mark.browser]

FETCH = blocks("fetch")
LOCAL = {"localhost", "127.0.0.1"}
LOGGED = re.compile(r"console\.log\((?P<expr>.*)\);\s*//\s*(?P<expected>.*)$")
LITERAL = re.compile(
    r'^(?:"(?P<string>[^"]*)"|(?P<word>-?\d+|true|false|null|undefined))(?=$|[\s:;,.)])'
)


@pytest.fixture(scope="module")
def context(browser, browser_context_args):
    """One browser context for the module: a fresh page per example is enough isolation.

    CSP is bypassed: the examples talk to other origins (a second name for this site, Express
    examples), which the site's own Content-Security-Policy would refuse, and the lessons are
    not about that policy.
    """
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


def expected_logs(code: str) -> list[str | None]:
    """What each console.log call should print, from the comment at the end of its line."""
    found: list[str | None] = []
    for line in code.split("\n"):
        match = LOGGED.search(line.strip())
        if "console.log(" not in line:
            continue
        literal = LITERAL.match(match["expected"].strip()) if match else None
        if literal is None:
            found.append(None)  # no value promised: any output will do
        else:
            found.append(literal["string"] if literal["string"] is not None else literal["word"])
    return found


def fill(text: str, site: str, node_ports: dict[str, int]) -> str:
    text = text.replace("{cross}", site.replace("localhost", "127.0.0.1"))
    text = text.replace("{site}", site)
    return re.sub(r"\{express:([\w/-]+)\}", lambda m: f"http://127.0.0.1:{node_ports[m[1]]}", text)


def route_to(page: Page, block: Block, site: str, node_ports: dict[str, int]) -> None:
    for spec in block.all("route"):
        pattern, _, target = (part.strip() for part in fill(spec, site, node_ports).partition("->"))
        target = target if target.startswith("http") or target == "abort" else site + target
        matcher = _matcher(pattern, site)

        page.route(matcher, _forward(target))


def _forward(target: str):
    """Answer with what `target` answers, redirects included (the browser follows them);
    `abort` makes the request fail as a network error would."""

    def handler(route):
        if target == "abort":
            route.abort("connectionrefused")
            return
        try:
            response = route.fetch(url=target, max_redirects=0)
        except Exception:  # never leave the page waiting for an answer
            route.abort("failed")
            raise
        route.fulfill(response=response)

    return handler


def _refuse(log: list[str]):
    """Examples talk to this machine only: any other host is refused, and the test fails."""

    def handler(route):
        log.append(route.request.url)
        route.abort("blockedbyclient")

    return handler


def _node_module(route):
    """Serve a file of the pinned npm packages, for examples that import a library (ESM)."""
    relative = urlsplit(route.request.url).path.removeprefix("/__node_modules__/")
    file = (NODE_DIR / "node_modules" / relative).resolve()
    if not file.is_relative_to(NODE_DIR / "node_modules") or not file.is_file():
        route.fulfill(status=404)
        return
    route.fulfill(body=file.read_bytes(), content_type="text/javascript")


def _matcher(pattern: str, site: str):
    absolute = pattern if pattern.startswith("http") else site + pattern
    regex = re.compile("^" + re.escape(absolute).replace(r"\*", "[^?]*") + "$")
    return lambda url: bool(regex.match(url))


def script(block: Block, site: str, node_ports: dict[str, int]) -> str:
    code = "\n".join(b.code for b in chain(block))
    for spec in block.all("rewrite"):  # a host the lesson writes, served locally here
        written, _, local = (part.strip() for part in fill(spec, site, node_ports).partition("->"))
        code = code.replace(written, local)
    code = re.sub(r"^export (default )?", "", code, flags=re.MULTILINE)
    given = "\n".join(fill(g, site, node_ports) for g in block.all("given"))
    checks = "\n".join(fill(c, site, node_ports) for c in block.all("check"))
    return f"""async () => {{
  const timeout = new Promise((resolve) => setTimeout(
    () => resolve({{ logs: [], error: 'the example did not finish within 20 s' }}), 20000));
  return Promise.race([timeout, (async () => {{
  const logs = [];
  const console = {{
    ...globalThis.console,
    log: (...args) => logs.push(
      args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')),
    warn: (...args) => logs.push('warn: ' + args.join(' ')),
  }};
  const assert = (condition, message) => {{
    if (!condition) throw new Error('check failed: ' + message);
  }};
  const alert = (message) => logs.push('alert: ' + message);
  const queryCore = () => {{ // what a bundler does: replace process.env.NODE_ENV, then import
    globalThis.process ??= {{ env: {{ NODE_ENV: 'production' }} }};
    return import('/__node_modules__/@tanstack/query-core/build/modern/index.js');
  }};
  {given}
  try {{
{code}
{checks}
  }} catch (error) {{
    return {{ logs, error: String(error && error.stack || error), name: error && error.name }};
  }}
  return {{ logs }};
  }})()]);
}}"""


def node_ports_for(block: Block, request) -> dict[str, int]:
    wanted = set()
    keys = ("given", "check", "route", "page", "rewrite")
    for text in (value for key in keys for value in block.all(key)):
        wanted.update(re.findall(r"\{express:([\w/-]+)\}", text))
    if not wanted:
        return {}
    node = request.getfixturevalue("node_examples")
    site = request.getfixturevalue("lab")
    ports = {}
    for name in sorted(wanted):
        server = find(block, name)
        env = dict(e.replace("{site}", site).split("=", 1) for e in server.all("env"))
        ports[name] = node.start(server, env=env)
    return ports


@pytest.mark.parametrize("block", FETCH, ids=[b.key for b in FETCH])
def test_fetch_example_behaves_as_the_lesson_says(block: Block, page: Page, lab, request):
    site = lab
    node_ports = node_ports_for(block, request)
    elsewhere: list[str] = []
    page.route(lambda url: urlsplit(url).hostname not in LOCAL, _refuse(elsewhere))
    route_to(page, block, site, node_ports)
    if "queryCore()" in "".join(block.all("given")):
        node_packages()
        page.route(site + "/__node_modules__/**", _node_module)
    # A page a server really serves (one Playwright made up would not count as a loopback
    # address, and Chromium would stop it reaching the other loopback origins).
    start = fill(block.get("page", "{site}/lab/api/echo"), site, node_ports)
    page.goto(start)
    here = re.match(r"https?://[^/]+", start)[0]
    source = script(block, site, node_ports)
    result = page.evaluate(source)
    assert not elsewhere, f"{block.where} reached other hosts: {elsewhere}"
    expected_error = block.get("throws")
    if expected_error:
        assert result.get("error"), f"{block.where}: expected it to throw {expected_error}"
        assert expected_error in result["error"], f"{block.where}: threw {result['error']}"
    else:
        assert not result.get("error"), (
            f"{block.where} threw:\n{result['error']}\nlogs: {result['logs']}"
        )
    promised = expected_logs("\n".join(b.code for b in chain(block)))
    logs = [line.replace(here, block.get("origin", here)) for line in result["logs"]]
    assert len(logs) >= len([p for p in promised if p is not None]), (
        f"{block.where}: expected logs {promised}, got {logs}"
    )
    for number, (want, got) in enumerate(zip(promised, logs, strict=False), start=1):
        if want is not None:
            assert got == want, (
                f"{block.where}: console.log #{number} printed {got!r}; the comment says {want!r}"
                f"\nall logs: {json.dumps(logs)}"
            )
