"""Reads for the learn pages that span more than one QuerySet."""

from itertools import groupby

from django.db.models import Q

from learn.models import Lesson, StatusCode
from learn.registry import CLASS_NAMES


def lessons_grouped(lessons) -> list[tuple[str, list[Lesson]]]:
    """[(group label, lessons)] in the order the groups are read."""
    labels = dict(Lesson.Group.choices)
    order = list(labels)
    ordered = sorted(lessons, key=lambda lesson: (order.index(lesson.group), lesson.position))
    return [(labels[group], list(items)) for group, items in groupby(ordered, lambda x: x.group)]


def codes_grouped(codes) -> list[tuple[int, str, list[StatusCode]]]:
    """[(class digit, class name, codes)] for the reference list."""
    return [
        (digit, CLASS_NAMES[digit], list(items))
        for digit, items in groupby(codes, key=lambda code: code.code // 100)
    ]


def lesson_neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """The published lessons read just before and just after `lesson`."""
    published = Lesson.objects.published().only("slug", "title")
    before = Q(position__lt=lesson.position) | Q(position=lesson.position, slug__lt=lesson.slug)
    after = Q(position__gt=lesson.position) | Q(position=lesson.position, slug__gt=lesson.slug)
    previous = published.filter(before).order_by("-position", "-slug").first()
    following = published.filter(after).order_by("position", "slug").first()
    return previous, following


def code_neighbours(code: StatusCode) -> tuple[StatusCode | None, StatusCode | None]:
    """The codes just below and above `code` in the reference."""
    codes = StatusCode.objects.only("code", "name")
    previous = codes.filter(code__lt=code.code).order_by("-code").first()
    following = codes.filter(code__gt=code.code).order_by("code").first()
    return previous, following
