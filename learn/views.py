"""Lessons and the status-code reference."""

from http import HTTPStatus

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from config.http import HtmxHttpRequest
from learn import search, selectors
from learn.caching import content_page, render_page
from learn.models import Lesson, StatusCode
from learn.rendering import render_markdown
from quiz.progress.kept import kept_page

MAX_QUERY_LENGTH = 100


@require_safe
@content_page
def home(request: HtmxHttpRequest) -> HttpResponse:
    return render_page(request, "home.html")


@require_safe
@content_page
def lesson_list(request: HtmxHttpRequest) -> HttpResponse:
    groups = selectors.lessons_grouped(Lesson.objects.in_reading_order())
    return render_page(request, "learn/lesson_list.html", {"groups": groups})


@require_safe
@content_page
@kept_page  # a learner's: their check-yourself cards and "done"
def lesson_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.published().for_page(), slug=slug)
    previous, following = selectors.lesson_neighbours(lesson)
    context = {
        "lesson": lesson,
        "body": render_markdown(lesson.body),
        "previous": previous,
        "next": following,
    }
    return render_page(request, "learn/lesson_detail.html", context)


@require_safe
@content_page
def code_list(request: HtmxHttpRequest) -> HttpResponse:
    template = "learn/code_list.html#results" if request.htmx else "learn/code_list.html"
    query, refused = _search_query(request, template)
    if refused:
        return refused
    codes = list(StatusCode.objects.for_list().search(query))
    context = {"query": query, "groups": selectors.codes_grouped(codes), "count": len(codes)}
    return render_page(request, template, context)


def _search_query(request: HtmxHttpRequest, template: str) -> tuple[str, HttpResponse | None]:
    """The search box's text, or the page saying why it cannot be searched for (400)."""
    query = request.GET.get("q", "").strip()
    error = _search_problem(query)
    if not error:
        return query, None
    context = {"query": query[:MAX_QUERY_LENGTH].replace("\x00", ""), "error": error}
    return query, render_page(request, template, context, status=HTTPStatus.BAD_REQUEST)


def _search_problem(query: str) -> str:
    if len(query) > MAX_QUERY_LENGTH:
        return f"That search is too long: use at most {MAX_QUERY_LENGTH} characters."
    if any(ord(char) < 32 for char in query):
        return "That search contains control characters: type letters or digits."
    return ""


@require_safe
@content_page
def code_detail(request: HtmxHttpRequest, code: int) -> HttpResponse:
    status = get_object_or_404(StatusCode.objects.for_detail(), code=code)
    previous, following = selectors.code_neighbours(status)
    context = {"status": status, "previous": previous, "next": following}
    return render_page(request, "learn/code_detail.html", context)


@require_safe
@content_page
def site_search(request: HtmxHttpRequest) -> HttpResponse:
    """Lessons, codes and questions from one box, tolerant of typos; the results alone for htmx."""
    template = "learn/search.html#results" if request.htmx else "learn/search.html"
    query, refused = _search_query(request, template)
    if refused:
        return refused
    groups = search.search(query) if query else {}
    count = sum(len(results) for results in groups.values())
    return render_page(request, template, {"query": query, "groups": groups, "count": count})
