"""Template hygiene: no line of a template is over 160 characters."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINE = 160
SKIP_DIRS = {".git", ".venv", "node_modules", "staticfiles", "test-results", "__pycache__"}


def html_files() -> list[Path]:
    """The repository's *.html files: those git tracks, or (no git) all but tool folders."""
    if shutil.which("git") and (ROOT / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", "*.html"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return sorted(ROOT / name for name in listed.split("\0") if name and (ROOT / name).exists())
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        found += [Path(folder) / name for name in files if name.endswith(".html")]
    return sorted(found)


def test_templates_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in html_files()}
    assert "templates/base.html" in names
    assert "quiz/templates/quiz/question.html" in names


def test_no_template_line_is_over_160_characters():
    too_long = [
        f"{path.relative_to(ROOT).as_posix()}:{number} ({len(line)} characters)"
        for path in html_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1)
        if len(line) > MAX_LINE
    ]
    assert not too_long, (
        f"{len(too_long)} template lines over {MAX_LINE} characters:\n" + "\n".join(too_long)
    )
