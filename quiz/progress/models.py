"""Progress's rows: learners, lessons they marked done, and their FSRS review cards and logs.

They belong to the `quiz` app's tables and migrations (`app_label = "quiz"`): progress moved out
of quiz as code, and moving tables would be a migration for nothing.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from learn.models import Lesson
from quiz.models import Question


class Learner(models.Model):
    """Whoever is learning: tied to a browser session, or to an account once they sign up."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    timezone = models.CharField(
        max_length=64, blank=True, help_text="IANA name from the browser, e.g. Europe/Berlin."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateField(
        null=True, blank=True, help_text="The last day this learner's browser came back."
    )

    class Meta:
        app_label = "quiz"  # the tables are the quiz app's (migrations)

    def __str__(self) -> str:
        return f"Learner {self.pk}" + (f" ({self.user})" if self.user_id else "")


class LessonCompletion(models.Model):
    """A lesson the learner marked as done."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "quiz"  # the tables are the quiz app's (migrations)
        ordering = ["completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "lesson"], name="one_completion_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.learner} read {self.lesson}"


class ReviewCardQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(due__lte=now or timezone.now())


class ReviewCard(models.Model):
    """FSRS memory state of one question for one learner; `due` and `state` mirror the JSON."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="cards")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="cards")
    fsrs = models.JSONField(help_text="fsrs.Card.to_dict()")
    due = models.DateTimeField()
    state = models.PositiveSmallIntegerField(
        help_text="fsrs.State: 1 learning, 2 review, 3 relearning."
    )
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0, help_text="Reviews rated Again.")
    last_review = models.DateTimeField(null=True, blank=True)

    objects = ReviewCardQuerySet.as_manager()

    class Meta:
        app_label = "quiz"  # the tables are the quiz app's (migrations)
        ordering = ["due"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "question"], name="one_card_per_question")
        ]
        indexes = [
            models.Index(fields=["learner", "due"], name="card_learner_due"),
            models.Index(fields=["learner", "state"], name="card_learner_state"),
        ]

    def __str__(self) -> str:
        return f"{self.question} for {self.learner}, due {self.due:%Y-%m-%d %H:%M}"


class ReviewLog(models.Model):
    """One review of a card: every answer to a question is one."""

    card = models.ForeignKey(ReviewCard, on_delete=models.CASCADE, related_name="logs")
    rating = models.PositiveSmallIntegerField(help_text="fsrs.Rating: 1 Again, 3 Good.")
    reviewed_at = models.DateTimeField()
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField()
    state_after = models.PositiveSmallIntegerField()

    class Meta:
        app_label = "quiz"  # the tables are the quiz app's (migrations)
        ordering = ["reviewed_at", "id"]

    def __str__(self) -> str:
        return f"{self.card.question_id} rated {self.rating} at {self.reviewed_at:%Y-%m-%d %H:%M}"


class CodeEvidence(models.Model):
    """What the learner's answers say about one status code: every answer to a question whose
    subject it is counts, the latest few weighing most. Kept up to date as answers come in
    (`quiz.progress.evidence`), so mastery reads a row per code, not the whole history."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="evidence")
    code = models.PositiveSmallIntegerField()
    answered = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    recent = models.CharField(
        max_length=5, blank=True, help_text="The latest answers, newest first: R right, W wrong."
    )
    last_at = models.DateTimeField()

    class Meta:
        app_label = "quiz"  # the tables are the quiz app's (migrations)
        constraints = [
            models.UniqueConstraint(fields=["learner", "code"], name="one_evidence_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.code} {self.recent}"


class Confusion(models.Model):
    """A learner answered `picked` where `subject` was right: their own mix-up, counted."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="confusions")
    subject = models.PositiveSmallIntegerField(help_text="The code the question asked about.")
    picked = models.PositiveSmallIntegerField(help_text="The code the learner gave instead.")
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        app_label = "quiz"  # the tables are the quiz app's (migrations)
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "subject", "picked"], name="one_confusion_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.picked} for {self.subject} ×{self.count}"
