"""Authored Markdown is rendered on the server and can never run script."""

import pytest

from learn.rendering import highlight_code, render_markdown


@pytest.mark.parametrize(
    "source,forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ('<p style="color:red" onclick="x()">hi</p>', "onclick"),
    ],
)
def test_dangerous_markup_is_neutralised(source, forbidden):
    html = render_markdown(source).html
    assert forbidden not in html


def test_a_script_tag_shows_as_text_inside_code():
    html = render_markdown("Never write `<script>` in a lesson.").html
    assert "<code>&lt;script&gt;</code>" in html


def test_code_shorthand_links_to_the_reference_page_with_its_name():
    html = render_markdown("Answer [[403]], not [[401|a 401]].").html
    assert '<a class="code-ref" href="/codes/403/">403 Forbidden</a>' in html
    assert '<a class="code-ref" href="/codes/401/">a 401</a>' in html


def test_code_shorthand_is_left_alone_inside_code():
    assert "[[403]]" in render_markdown("`[[403]]`").html


def test_headings_get_anchors_and_a_table_of_contents():
    rendered = render_markdown("## Method changes\n\ntext\n\n### On 303\n\nmore\n")
    assert '<h2 id="method-changes">' in rendered.html
    assert 'href="#method-changes"' in rendered.html
    assert rendered.toc[0]["id"] == "method-changes"
    assert rendered.toc[0]["children"][0]["name"] == "On 303"


def test_fenced_code_is_highlighted_on_the_server():
    html = render_markdown("```python\nreturn JsonResponse(data, status=201)\n```\n").html
    assert '<div class="codehilite">' in html
    assert '<span class="k">return</span>' in html


def test_tables_render():
    html = render_markdown("| Code | Method |\n|---|---|\n| 303 | GET |\n").html
    assert "<table>" in html and "<td>303</td>" in html


def test_http_examples_are_highlighted_and_escaped():
    html = highlight_code("GET /<script> HTTP/1.1\n\nHTTP/1.1 200 OK\n", "http")
    assert "<script>" not in html
    assert "codehilite" in html


def test_example_annotations_never_reach_the_page():
    source = (
        "Intro.\n\n"
        '<!-- example: django id=create-user\n  urls="api/users create_user" -->\n'
        "```python\nx = 1\n```\n\n"
        '<!-- example: fragment why="a header" -->\n'
        "```http\nRetry-After: 120\n```\n"
    )
    html = render_markdown(source).html
    assert "example:" not in html and "create_user" not in html and "fragment" not in html
    assert html.count('<div class="codehilite">') == 2


def test_reading_time_does_not_count_annotations():
    from learn.models import Lesson

    words = " ".join(["word"] * 200)
    annotation = "<!-- example: fetch " + " ".join(["check=x"] * 400) + " -->\n"
    plain = Lesson(body=f"{words}\n\n```javascript\nx\n```\n")
    annotated = Lesson(body=f"{words}\n\n{annotation}```javascript\nx\n```\n")
    assert annotated.reading_minutes == plain.reading_minutes
