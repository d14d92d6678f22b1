"""Lessons and the status-code reference: the reading half of the product."""

import re
from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.urls import reverse

from learn import rubric
from learn.registry import CLASS_NAMES, Cacheability, cacheability
from learn.rendering import strip_example_annotations

WORDS_PER_MINUTE = 200


@cache
def code_url(code: int) -> str:
    """A status code's reference page: reversed once per code and process (pages list dozens)."""
    return reverse("learn:code_detail", args=[int(code)])


class StatusCodeQuerySet(models.QuerySet):
    def for_list(self):
        """Every code, in order, with just the columns the list page shows."""
        return self.only("code", "name", "summary", "official").order_by("code")

    def search(self, query: str):
        """Codes whose number starts with `query`, or whose name or summary contains it."""
        query = query.strip()
        if not query:
            return self
        # isdigit() alone also accepts "²" and "①", which int() refuses.
        if query.isascii() and query.isdigit():
            low = int(query.ljust(3, "0")[:3]) if len(query) <= 3 else -1
            high = int(query.ljust(3, "9")[:3]) if len(query) <= 3 else -1
            return self.filter(code__gte=low, code__lte=high)
        return self.annotate(former_names_text=Cast("former_names", models.TextField())).filter(
            Q(name__icontains=query)
            | Q(summary__icontains=query)
            | Q(former_names_text__icontains=query)
        )

    def for_detail(self):
        """A code with its related codes and the published lessons that teach it."""
        return self.prefetch_related(
            models.Prefetch("related", queryset=StatusCode.objects.only("code", "name")),
            models.Prefetch(
                "lessons",
                queryset=Lesson.objects.published().only("slug", "title", "position"),
            ),
        )


class StatusCode(models.Model):
    class Retry(models.TextChoices):
        NOT_APPLICABLE = "not-applicable", "Not an error"
        NO = "no", "No: change the request first"
        AFTER_DELAY = "after-delay", "Yes, after waiting (honour Retry-After)"
        IDEMPOTENT_ONLY = "idempotent-only", "Only idempotent requests"
        YES = "yes", "Yes"

    code = models.PositiveSmallIntegerField(
        unique=True, help_text="The three-digit status code, 100–599."
    )
    name = models.CharField(max_length=80, help_text="The current IANA / RFC 9110 name.")
    former_names = models.JSONField(
        default=list, blank=True, help_text='Earlier names, e.g. ["Payload Too Large"].'
    )
    official = models.BooleanField(
        default=True, help_text="Off for vendor codes that are not in the IANA registry."
    )
    spec = models.CharField(max_length=80, help_text="Where it is defined, e.g. RFC 9110 §15.5.2")
    spec_url = models.URLField(blank=True)
    summary = models.TextField(help_text="One or two plain sentences, no Markdown.")
    when_to_use = models.TextField(blank=True, help_text="Markdown.")
    when_not_to_use = models.TextField(blank=True, help_text="Markdown.")
    headers = models.JSONField(
        default=list, blank=True, help_text='Headers tied to the code: [{"name": …, "rule": …}].'
    )
    example = models.TextField(blank=True, help_text="A raw HTTP exchange: request, response.")
    mistakes = models.TextField(blank=True, help_text="Markdown.")
    history = models.TextField(blank=True, help_text="Markdown, optional.")
    related = models.ManyToManyField("self", blank=True, symmetrical=False)
    retry = models.CharField(max_length=20, choices=Retry.choices, default=Retry.NO)
    retry_note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatusCodeQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__gte=100, code__lte=599), name="status_code_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return code_url(self.code)

    @property
    def status_class(self) -> int:
        return self.code // 100

    @property
    def class_name(self) -> str:
        return CLASS_NAMES[self.status_class]

    @property
    def cacheability(self) -> Cacheability:
        """Heuristically cacheable, only with explicit freshness, or never stored (with the
        citation that says so)."""
        return cacheability(self.code)


class LessonQuerySet(models.QuerySet):
    def published(self):
        """Lessons learners may see."""
        return self.filter(published=True)

    def in_reading_order(self):
        """Published lessons for the list page, in reading order."""
        return (
            self.published()
            .order_by("position", "slug")
            .only("slug", "title", "group", "position", "summary", "body")
        )

    def for_page(self):
        """A lesson with its codes and current (not retired) follow-ups, ready to render."""
        return self.prefetch_related(
            models.Prefetch("codes", queryset=StatusCode.objects.only("code", "name")),
            models.Prefetch("followups", queryset=FollowUp.objects.current()),
        )


class Lesson(models.Model):
    class Group(models.TextChoices):
        FUNDAMENTALS = "fundamentals", "Fundamentals"
        CATEGORIES = "categories", "The five classes"
        TOPICS = "topics", "Topics"

    slug = models.SlugField(unique=True, help_text="The lesson's address: /learn/<slug>/.")
    title = models.CharField(max_length=120)
    group = models.CharField(max_length=20, choices=Group.choices, default=Group.TOPICS)
    position = models.PositiveSmallIntegerField(
        default=100, help_text="Reading order across all lessons; lower comes first."
    )
    summary = models.TextField(help_text="One paragraph, plain text.")
    takeaways = models.JSONField(
        default=list, blank=True, help_text="Key takeaways, one Markdown line each."
    )
    body = models.TextField(help_text="Markdown; ## headings become sections with anchors.")
    short_answer = models.TextField(
        blank=True,
        help_text=(
            "The interview-ready answer: what a strong candidate says aloud in 20–40 seconds, "
            "in 2–4 sentences (the distinction, the rule, one example, the trap). Markdown."
        ),
    )
    codes = models.ManyToManyField(StatusCode, blank=True, related_name="lessons")
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learn:lesson_detail", args=[self.slug])

    @property
    def reading_minutes(self) -> int:
        words = len(re.findall(r"\w+", strip_example_annotations(self.body)))
        return max(1, round(words / WORDS_PER_MINUTE))


def validate_rubric(value) -> None:
    """A follow-up's rubric: 2–5 points, each with its text and at least one phrasing."""
    found = rubric.problems(value)
    if found:
        raise ValidationError([f"Rubric: {problem}." for problem in found])


class FollowUpQuerySet(models.QuerySet):
    def current(self):
        """Follow-ups still in the content (not retired), in their lesson's order."""
        return self.filter(retired_at__isnull=True)


class FollowUp(models.Model):
    """An interview follow-up question whose answer the learner reveals.

    `key` is its identity: reloading the content updates a follow-up in place, matched by
    key, so what learners record against it survives edits to its text or position. One that
    left the files but that learners have drilled is kept, retired, for their history.
    """

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="followups")
    key = models.SlugField(
        max_length=80,
        help_text=(
            "A short, stable name, unique in the lesson (e.g. 401-vs-403-difference). Learners' "
            "progress refers to it: keep it when you edit the question; a new key is a new "
            "follow-up."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)
    question = models.CharField(max_length=300)
    answer = models.TextField(help_text="Markdown. The model answer: it makes every rubric point.")
    rubric = models.JSONField(
        default=list,
        validators=[validate_rubric],
        help_text="2–5 points a good answer makes, each with the wordings that count.",
    )
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "Set when the follow-up left the content files but learners have drilled it: the "
            "lesson and the drill no longer show it, and their history keeps it."
        ),
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["lesson", "position"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "key"], name="followup_key_unique_in_lesson")
        ]

    def __str__(self) -> str:
        return self.question
