"""The lessons' terminal sessions: each `$ curl ...` line runs, and prints what the lesson shows.

`against=lab` runs the commands against the live site (the lab's /lab/api/...), `against=<id>`
against a running Express example. `origin=` is the address the lesson writes
(`localhost:3000`, `http://localhost:8000`); it is swapped for the real 127.0.0.1 address on
the way in and back on the way out. The lines shown under a command must appear in its output
in that order (a transcript may leave lines out, such as `Date`); `varies=retry-after` lets the
digits of that header differ, since they count down.
"""

import re
import shutil
import subprocess

import pytest

from tests.examples.lessons import Block, blocks, find
from tests.examples.runners import missing_tool

CURL = blocks("curl")


def session(code: str) -> list[tuple[str, list[str]]]:
    """[(command, expected output lines)] from a transcript."""
    steps: list[tuple[str, list[str]]] = []
    for line in code.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
        elif line.strip() and not line.startswith("#"):
            raise AssertionError(f"output before any command: {line!r}")
    return steps


def in_order(expected: list[str], actual: list[str], varies: set[str] = frozenset()) -> bool:
    """The expected lines appear in `actual`, in order; in a header named in `varies` (a
    count of seconds that depends on timing) the digits may differ."""

    def same(want: str, got: str) -> bool:
        if want.split(":")[0].strip().lower() in varies:
            return re.sub(r"\d+", "N", want) == re.sub(r"\d+", "N", got)
        return want == got

    position = 0
    for line in expected:
        found = next((i for i in range(position, len(actual)) if same(line, actual[i])), None)
        if found is None:
            return False
        position = found + 1
    return True


@pytest.fixture
def base_url(request):
    block: Block = request.param
    target = block.get("against")
    if target == "lab":
        return request.getfixturevalue("lab").replace("localhost", "127.0.0.1")
    node = request.getfixturevalue("node_examples")
    return f"http://127.0.0.1:{node.start(find(block, target))}"


@pytest.mark.parametrize("base_url", CURL, ids=[b.key for b in CURL], indirect=True)
def test_terminal_session_prints_what_the_lesson_shows(base_url, request):
    block: Block = request.node.callspec.params["base_url"]
    curl = shutil.which("curl")
    if not curl:
        missing_tool("curl is needed for the lessons' terminal examples (apt-get install curl)")
    origin = block.get("origin")
    real = base_url if origin.startswith("http") else base_url.removeprefix("http://")
    for command, shown in session(block.code):
        assert command.startswith("curl "), f"{block.where}: only curl commands run: {command!r}"
        output = subprocess.run(
            ["bash", "-c", command.replace(origin, real)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        printed = (output.stdout + output.stderr).replace(real, origin)
        actual = [line.rstrip("\r") for line in printed.split("\n")]
        expected = [line for line in shown if line.strip()]
        varies = {name.strip().lower() for name in block.get("varies", "").split(",") if name}
        assert in_order(expected, actual, varies), (
            f"{block.where}: `{command}` should print\n"
            + "\n".join(expected)
            + "\nbut printed\n"
            + printed
        )
        if re.search(r"\bcurl: \(\d+\)", "\n".join(expected)) is None:
            assert output.returncode == 0, f"{block.where}: `{command}` failed:\n{printed}"
