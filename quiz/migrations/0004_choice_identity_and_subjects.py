"""Choices get a stable key and can be retired; picks, answers and cards protect what they
point at; questions name their subject codes, variants, wrong-code notes and lint silences.

The picks table is the one Django made for the plain many-to-many: only the model state
changes (an explicit through model whose choice is protected), not the database.
"""

import django.db.models.deletion
from django.db import migrations, models

import quiz.models

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def choice_key(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else f"c{index + 1}"


def give_choices_keys(apps, schema_editor):
    """a, b, c … in the order each question shows its choices (the shipped files match)."""
    Choice = apps.get_model("quiz", "Choice")
    counters: dict[int, int] = {}
    changed = []
    for choice in Choice.objects.order_by("question_id", "position", "id"):
        index = counters.get(choice.question_id, 0)
        counters[choice.question_id] = index + 1
        choice.key = choice_key(index)
        changed.append(choice)
    Choice.objects.bulk_update(changed, ["key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0001_initial"),
        ("quiz", "0003_authors_group"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AnswerChoice",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "answer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="quiz.answer"
                            ),
                        ),
                        (
                            "choice",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, to="quiz.choice"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "quiz_answer_choices",
                        "unique_together": {("answer", "choice")},
                    },
                ),
                migrations.AlterField(
                    model_name="answer",
                    name="choices",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="answers",
                        through="quiz.AnswerChoice",
                        to="quiz.choice",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="choice",
            name="key",
            field=models.SlugField(
                default="",
                help_text="Stable within the question; imports match choices by it.",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="choice",
            name="key",
            field=models.SlugField(
                default=quiz.models.new_choice_key,
                help_text="Stable within the question; imports match choices by it.",
                max_length=20,
            ),
        ),
        migrations.RunPython(give_choices_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="choice",
            constraint=models.UniqueConstraint(
                fields=("question", "key"), name="one_choice_per_key"
            ),
        ),
        migrations.AddField(
            model_name="choice",
            name="retired_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Set when an answered choice was removed: new attempts no longer "
                "show it.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="choice",
            name="text",
            field=models.CharField(help_text="Inline Markdown.", max_length=300),
        ),
        migrations.AddField(
            model_name="question",
            name="lint_silenced",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Bank lint rules silenced for this question, with the reason: "
                '{"long-key": "…"}.',
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="subject",
            field=models.ManyToManyField(
                blank=True,
                help_text="The code(s) the question asks about: a learner's answer is evidence "
                "of knowing these. Also listed under codes.",
                related_name="subject_of",
                to="learn.statuscode",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="variant_of",
            field=models.ForeignKey(
                blank=True,
                help_text="A deliberate variant of another question's scenario: never asked "
                "together.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="variants",
                to="quiz.question",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="wrong_codes",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Code questions: why a likely wrong code is wrong, {"401": "Markdown…"}.',
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="codes",
            field=models.ManyToManyField(
                blank=True,
                help_text="Every code the question mentions, its distractors included.",
                related_name="questions",
                to="learn.statuscode",
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answers",
                to="quiz.question",
            ),
        ),
        migrations.AlterField(
            model_name="attempt",
            name="quiz",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for sets built for the learner: review, mistakes, weak codes.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attempts",
                to="quiz.quiz",
            ),
        ),
        migrations.AlterField(
            model_name="lessoncompletion",
            name="lesson",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="completions",
                to="learn.lesson",
            ),
        ),
        migrations.AlterField(
            model_name="reviewcard",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cards",
                to="quiz.question",
            ),
        ),
    ]
