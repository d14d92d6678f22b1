"""Progress's rows: learners, lessons they marked done, their FSRS review cards and logs (of
questions and of interview follow-ups), and their interview drill answers and mock interviews.

They belong to the `quiz` app's tables and migrations (`app_label = "quiz"`): progress moved out
of quiz as code, and moving tables would be a migration for nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from learn.models import FollowUp, Lesson
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

    def live(self):
        """Cards of what learners may still see: published questions, current follow-ups of
        published lessons. The others wait, kept, in case their content comes back."""
        return self.filter(
            Q(question__published=True)
            | Q(followup__retired_at__isnull=True, followup__lesson__published=True)
        )


class ReviewCard(models.Model):
    """FSRS memory state of one question, or of one interview follow-up, for one learner;
    `due` and `state` mirror the JSON. Both kinds share one review queue."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="cards")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="cards", null=True, blank=True
    )
    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.PROTECT,
        related_name="cards",
        null=True,
        blank=True,
        help_text="Set instead of the question for an interview follow-up's card.",
    )
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
            models.CheckConstraint(
                condition=Q(question__isnull=False, followup__isnull=True)
                | Q(question__isnull=True, followup__isnull=False),
                name="card_of_a_question_or_a_followup",
            ),
            models.UniqueConstraint(
                fields=["learner", "question"],
                condition=Q(question__isnull=False),
                name="one_card_per_question",
            ),
            models.UniqueConstraint(
                fields=["learner", "followup"],
                condition=Q(followup__isnull=False),
                name="one_card_per_followup",
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "due"], name="card_learner_due"),
            models.Index(fields=["learner", "state"], name="card_learner_state"),
        ]

    def __str__(self) -> str:
        what = self.question if self.question_id else self.followup
        return f"{what} for {self.learner}, due {self.due:%Y-%m-%d %H:%M}"


class ReviewLog(models.Model):
    """One review of a card: every answer to a question is one, every rated drill answer too."""

    card = models.ForeignKey(ReviewCard, on_delete=models.CASCADE, related_name="logs")
    rating = models.PositiveSmallIntegerField(
        help_text="fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy (a question's answer is 1 or 3)."
    )
    reviewed_at = models.DateTimeField()
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField()
    state_after = models.PositiveSmallIntegerField()

    class Meta:
        app_label = "quiz"  # the tables are the quiz app's (migrations)
        ordering = ["reviewed_at", "id"]

    def __str__(self) -> str:
        return f"Card {self.card_id} rated {self.rating} at {self.reviewed_at:%Y-%m-%d %H:%M}"


class MockInterview(models.Model):
    """Five follow-ups from the learner's weakest topics, each answered against a clock."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="mock_interviews")
    followup_ids = models.JSONField(help_text="The follow-ups asked, in order.")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last question was rated."
    )

    class Meta:
        app_label = "quiz"  # the tables are the quiz app's (migrations)
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Mock interview {self.pk} of {self.learner}, {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return len(self.followup_ids)


class DrillAnswer(models.Model):
    """One answer in the interview drill: what the learner typed (nothing, if they answered
    aloud), the rubric's points as they were, each with what the matcher found and what the
    learner says they made, and how well they recalled it (which reviews the follow-up's card).
    """

    class Rating(models.IntegerChoices):
        """The learner's own rating of their recall: fsrs.Rating's values."""

        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="drill_answers")
    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="drill_answers")
    text = models.TextField(blank=True, help_text="What the learner typed; empty if said aloud.")
    marks = models.JSONField(
        default=list,
        help_text='The rubric as answered: [{"point": …, "found": matcher, "made": learner}].',
    )
    made = models.PositiveSmallIntegerField(help_text="Points the learner says they made.")
    points = models.PositiveSmallIntegerField(help_text="Points in the rubric when answered.")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    seconds = models.PositiveIntegerField(
        help_text="From the question being served to the answer being revealed."
    )
    served_at = models.DateTimeField(
        help_text="When the question was served (from the form's signed timer): one rating each."
    )
    mock = models.ForeignKey(
        MockInterview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "quiz"  # the tables are the quiz app's (migrations)
        ordering = ["answered_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=4), name="drill_rating_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(made__lte=models.F("points")), name="drill_made_within_points"
            ),
            models.UniqueConstraint(
                fields=["learner", "followup", "served_at"], name="one_rating_per_serving"
            ),
            models.UniqueConstraint(
                fields=["mock", "followup"],
                condition=Q(mock__isnull=False),
                name="one_answer_per_mock_question",
            ),
        ]
        indexes = [
            models.Index(
                fields=["learner", "followup", "answered_at"], name="drill_learner_followup"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.followup_id}: {self.made} of {self.points}"


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
