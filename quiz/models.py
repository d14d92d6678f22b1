"""Questions, quizzes, attempts and answers: practice. (Learners and their review cards are
progress's: quiz/progress/models.py.)"""

import secrets

from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from learn.models import Lesson, StatusCode
from quiz.attempt_queries import AttemptQuerySet
from quiz.percent import percent


class QuestionQuerySet(models.QuerySet):
    def published(self):
        """Questions learners may see."""
        return self.filter(published=True)

    def for_page(self):
        """A question with everything its page, feedback and grading use."""
        codes = StatusCode.objects.only("code", "name")
        return self.select_related("lesson").prefetch_related(
            "choices",
            models.Prefetch("codes", queryset=codes),
            models.Prefetch("subject", queryset=codes),
        )


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Select all that apply"
        TRUEFALSE = "truefalse", "True or false"
        CODE = "code", "Type the status code"

    slug = models.SlugField(max_length=120, unique=True, help_text="Unique; re-imports match it.")
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.SINGLE)
    prompt = models.TextField(help_text="Markdown: the scenario, answerable before the choices.")
    snippet_language = models.CharField(
        max_length=20, blank=True, help_text="javascript, python, http, bash, json …"
    )
    snippet_code = models.TextField(blank=True, help_text="Optional code shown with the prompt.")
    answer_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For “type the code” questions: 100–599."
    )
    answer_bool = models.BooleanField(null=True, blank=True, help_text="For true/false questions.")
    explanation = models.TextField(help_text="Markdown: why the right answer is right.")
    codes = models.ManyToManyField(
        StatusCode,
        blank=True,
        related_name="questions",
        help_text="Every code the question mentions, its distractors included.",
    )
    subject = models.ManyToManyField(
        StatusCode,
        blank=True,
        related_name="subject_of",
        help_text="The code(s) the question asks about: a learner's answer is evidence of "
        "knowing these. Also listed under codes.",
    )
    variant_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="variants",
        help_text="A deliberate variant of another question's scenario: never asked together.",
    )
    wrong_codes = models.JSONField(
        default=dict,
        blank=True,
        help_text='Code questions: why a likely wrong code is wrong, {"401": "Markdown…"}.',
    )
    lint_silenced = models.JSONField(
        default=dict,
        blank=True,
        help_text='Bank lint rules silenced for this question, with the reason: {"long-key": "…"}.',
    )
    lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    difficulty = models.PositiveSmallIntegerField(
        default=1, help_text="1 recall, 2 application, 3 analysis."
    )
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=3), name="question_difficulty_1_3"
            ),
            models.CheckConstraint(
                condition=Q(answer_code__isnull=True)
                | Q(answer_code__gte=100, answer_code__lte=599),
                name="question_answer_code_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.slug

    @property
    def has_choices(self) -> bool:
        return self.type in (self.Type.SINGLE, self.Type.MULTIPLE)

    def right_answer_text(self) -> str:
        """The right answer in words, for feedback and results."""
        return self.in_words(
            code=self.answer_code, boolean=self.answer_bool, choices=self.right_choices
        )

    def in_words(self, *, code: int | None, boolean: bool | None, choices) -> str:
        """An answer to this question in words: the code, True or False, or the choices."""
        if self.type == self.Type.CODE:
            return str(code)
        if self.type == self.Type.TRUEFALSE:
            return "True" if boolean else "False"
        return " · ".join(choice.text for choice in choices)

    @property
    def right_choices(self) -> list["Choice"]:
        """The correct choices new attempts show (uses prefetched choices)."""
        return [c for c in self.choices.all() if c.correct and not c.is_retired]


def variant_parents() -> dict[int, int]:
    """{question id: the id of the question it is a variant of}, for every variant."""
    return dict(Question.objects.exclude(variant_of=None).values_list("id", "variant_of_id"))


def scenario_groups(
    question_ids: list[int], parents: dict[int, int] | None = None
) -> dict[int, list[int]]:
    """The questions grouped by scenario: deliberate variants (linked by `variant_of`, in any
    chain) share their group, keyed by the question the chain leads to. Order is kept."""
    parents = variant_parents() if parents is None else parents
    groups: dict[int, list[int]] = {}
    for question_id in question_ids:
        root, seen = question_id, {question_id}
        while root in parents and parents[root] not in seen:
            root = parents[root]
            seen.add(root)
        groups.setdefault(root, []).append(question_id)
    return groups


def new_choice_key() -> str:
    """A key for a choice made without one (the admin, code): unique within any question."""
    return "k" + secrets.token_hex(3)


class ChoiceQuerySet(models.QuerySet):
    def active(self):
        """Choices new attempts show: not retired."""
        return self.filter(retired_at__isnull=True)


class Choice(models.Model):
    """One option of a single- or multiple-choice question.

    A choice keeps its identity (`key`) through edits and re-imports, so learners' picks stay
    attached to it. A choice learners have picked is never deleted: it is retired, and only the
    attempts that showed it still do.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField(
        max_length=20,
        default=new_choice_key,
        help_text="Stable within the question; imports match choices by it.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300, help_text="Inline Markdown.")
    correct = models.BooleanField(default=False)
    why = models.TextField(blank=True, help_text="Markdown: why this choice is wrong.")
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when an answered choice was removed: new attempts no longer show it.",
    )

    objects = ChoiceQuerySet.as_manager()

    class Meta:
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="one_choice_per_key")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class QuizQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def for_list(self):
        """Published quizzes in order, with the size of their pool."""
        return (
            self.published()
            .annotate(
                pool_size=Count("questions", filter=Q(questions__published=True), distinct=True)
            )
            .order_by("position", "title")
        )


class Quiz(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True, help_text="Markdown.")
    position = models.PositiveSmallIntegerField(default=100, help_text="Order on /quiz/.")
    questions = models.ManyToManyField(Question, blank=True, related_name="quizzes")
    draws_from_all = models.BooleanField(
        default=False, help_text="Draw from every published question (interview prep)."
    )
    draw = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Ask this many random questions from the pool; empty: all."
    )
    minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Interview-mode time limit; empty: one minute a question."
    )
    lesson = models.ForeignKey(
        Lesson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quizzes",
        help_text="The lesson this quiz practises: each links the other, and the learning path "
        "goes from one to the other. Empty: the lesson most of its questions name.",
    )
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)  # read by the content version

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quiz:quiz_detail", args=[self.slug])

    def pool(self):
        """The published questions this quiz draws from."""
        questions = Question.objects.published()
        return questions if self.draws_from_all else questions.filter(quizzes=self)

    def scenario_count(self) -> int:
        """How many questions one attempt can ask: variants of a scenario count once."""
        return len(scenario_groups(list(self.pool().values_list("id", flat=True))))

    def size(self, pool_size: int) -> int:
        return min(self.draw, pool_size) if self.draw else pool_size

    def time_limit_minutes(self, size: int) -> int:
        return self.minutes or max(1, size)


class Attempt(models.Model):
    class Mode(models.TextChoices):
        PRACTICE = "practice", "Practice"
        INTERVIEW = "interview", "Interview"
        REVIEW = "review", "Review"
        CHECK = "check", "Check yourself"

    learner = models.ForeignKey("quiz.Learner", on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(
        Quiz,
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # learners' attempts outlive nothing: unpublish the quiz
        related_name="attempts",
        help_text="Empty for sets built for the learner: review, mistakes, weak codes.",
    )
    title = models.CharField(
        max_length=120, blank=True, help_text="Names a set built for the learner."
    )
    lesson = models.ForeignKey(
        Lesson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checks",
        help_text="For “check yourself” sets: the lesson whose end they are answered at.",
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.PRACTICE)
    question_ids = models.JSONField(help_text="The questions asked, in order.")
    choice_order = models.JSONField(
        default=dict, help_text="{question id: [choice ids in the order shown]}."
    )
    total = models.PositiveSmallIntegerField()
    answered = models.PositiveSmallIntegerField(default=0)
    correct = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_mode_display()}) #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("quiz:attempt_resume", args=[self.pk])

    @property
    def name(self) -> str:
        """What the learner sees as the attempt's title."""
        return self.quiz.title if self.quiz_id else self.title

    @property
    def shows_feedback(self) -> bool:
        """Practice and review show feedback after each answer; interview waits for the end."""
        return self.mode != self.Mode.INTERVIEW

    @property
    def is_overdue(self) -> bool:
        """Past an interview's deadline and not yet closed (the next write closes it)."""
        return (
            self.finished_at is None
            and self.deadline is not None
            and timezone.now() > self.deadline
        )

    @property
    def is_finished(self) -> bool:
        """Closed, or past its deadline: either way it takes no more answers."""
        return self.finished_at is not None or self.is_overdue

    @property
    def ended_at(self):
        """When it finished: closed, or for an overdue one, its deadline."""
        return self.finished_at or (self.deadline if self.is_overdue else None)

    @property
    def score_percent(self) -> int:
        return percent(self.correct, self.total)

    def question_url(self, number: int) -> str:
        return reverse("quiz:question", args=[self.pk, number])


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    # PROTECT: content a learner answered is retired (unpublished), never deleted.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.ManyToManyField(
        Choice, blank=True, related_name="answers", through="AnswerChoice"
    )
    given_code = models.PositiveSmallIntegerField(null=True, blank=True)
    given_bool = models.BooleanField(null=True, blank=True)
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_at"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question} → {'right' if self.correct else 'wrong'}"


class AnswerChoice(models.Model):
    """A choice the learner picked; the choice can never be deleted from under it."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE)
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT)

    class Meta:
        # The table Django made for the plain many-to-many, kept as it was (same unique pair).
        db_table = "quiz_answer_choices"
        unique_together = [("answer", "choice")]

    def __str__(self) -> str:
        return f"{self.answer_id} picked {self.choice_id}"
