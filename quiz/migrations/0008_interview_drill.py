"""The interview drill: a review card is a question's or a follow-up's (exactly one), drill
answers and mock interviews. Existing cards are all questions' and keep their rows as they are.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0005_followup_retired_at"),
        ("quiz", "0007_check_yourself"),
    ]

    operations = [
        migrations.CreateModel(
            name="DrillAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "text",
                    models.TextField(
                        blank=True, help_text="What the learner typed; empty if said aloud."
                    ),
                ),
                (
                    "marks",
                    models.JSONField(
                        default=list,
                        help_text='The rubric as answered: [{"point": …, "found": matcher, "made": learner}].',
                    ),
                ),
                (
                    "made",
                    models.PositiveSmallIntegerField(
                        help_text="Points the learner says they made."
                    ),
                ),
                (
                    "points",
                    models.PositiveSmallIntegerField(
                        help_text="Points in the rubric when answered."
                    ),
                ),
                (
                    "rating",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy")]
                    ),
                ),
                (
                    "seconds",
                    models.PositiveIntegerField(
                        help_text="From the question being served to the answer being revealed."
                    ),
                ),
                (
                    "served_at",
                    models.DateTimeField(
                        help_text="When the question was served (from the form's signed timer): one rating each."
                    ),
                ),
                ("answered_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["answered_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="MockInterview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("followup_ids", models.JSONField(help_text="The follow-ups asked, in order.")),
                ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "finished_at",
                    models.DateTimeField(
                        blank=True, help_text="When the last question was rated.", null=True
                    ),
                ),
            ],
            options={
                "ordering": ["-started_at", "-id"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="reviewcard",
            name="one_card_per_question",
        ),
        migrations.AddField(
            model_name="reviewcard",
            name="followup",
            field=models.ForeignKey(
                blank=True,
                help_text="Set instead of the question for an interview follow-up's card.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cards",
                to="learn.followup",
            ),
        ),
        migrations.AlterField(
            model_name="reviewcard",
            name="question",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cards",
                to="quiz.question",
            ),
        ),
        migrations.AlterField(
            model_name="reviewlog",
            name="rating",
            field=models.PositiveSmallIntegerField(
                help_text="fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy (a question's answer is 1 or 3)."
            ),
        ),
        migrations.AddConstraint(
            model_name="reviewcard",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("followup__isnull", True), ("question__isnull", False)),
                    models.Q(("followup__isnull", False), ("question__isnull", True)),
                    _connector="OR",
                ),
                name="card_of_a_question_or_a_followup",
            ),
        ),
        migrations.AddConstraint(
            model_name="reviewcard",
            constraint=models.UniqueConstraint(
                condition=models.Q(("question__isnull", False)),
                fields=("learner", "question"),
                name="one_card_per_question",
            ),
        ),
        migrations.AddConstraint(
            model_name="reviewcard",
            constraint=models.UniqueConstraint(
                condition=models.Q(("followup__isnull", False)),
                fields=("learner", "followup"),
                name="one_card_per_followup",
            ),
        ),
        migrations.AddField(
            model_name="drillanswer",
            name="followup",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="drill_answers",
                to="learn.followup",
            ),
        ),
        migrations.AddField(
            model_name="drillanswer",
            name="learner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="drill_answers",
                to="quiz.learner",
            ),
        ),
        migrations.AddField(
            model_name="mockinterview",
            name="learner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="mock_interviews",
                to="quiz.learner",
            ),
        ),
        migrations.AddField(
            model_name="drillanswer",
            name="mock",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="answers",
                to="quiz.mockinterview",
            ),
        ),
        migrations.AddIndex(
            model_name="drillanswer",
            index=models.Index(
                fields=["learner", "followup", "answered_at"], name="drill_learner_followup"
            ),
        ),
        migrations.AddConstraint(
            model_name="drillanswer",
            constraint=models.CheckConstraint(
                condition=models.Q(("rating__gte", 1), ("rating__lte", 4)),
                name="drill_rating_1_to_4",
            ),
        ),
        migrations.AddConstraint(
            model_name="drillanswer",
            constraint=models.CheckConstraint(
                condition=models.Q(("made__lte", models.F("points"))),
                name="drill_made_within_points",
            ),
        ),
        migrations.AddConstraint(
            model_name="drillanswer",
            constraint=models.UniqueConstraint(
                fields=("learner", "followup", "served_at"), name="one_rating_per_serving"
            ),
        ),
        migrations.AddConstraint(
            model_name="drillanswer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("mock__isnull", False)),
                fields=("mock", "followup"),
                name="one_answer_per_mock_question",
            ),
        ),
    ]
