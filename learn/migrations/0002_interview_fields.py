"""Interview fields: a lesson's short answer, a follow-up's stable key and its rubric."""

from django.db import migrations, models

import learn.models


class Migration(migrations.Migration):
    dependencies = [("learn", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="short_answer",
            field=models.TextField(
                blank=True,
                default="",
                help_text=(
                    "The interview-ready answer: what a strong candidate says aloud in 20–40 "
                    "seconds, in 2–4 sentences (the distinction, the rule, one example, the "
                    "trap). Markdown."
                ),
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="followup",
            name="key",
            field=models.SlugField(
                default="",
                help_text=(
                    "A short, stable name, unique in the lesson (e.g. 401-vs-403-difference). "
                    "Learners' progress refers to it: keep it when you edit the question; a new "
                    "key is a new follow-up."
                ),
                max_length=80,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="followup",
            name="rubric",
            field=models.JSONField(
                default=list,
                help_text="2–5 points a good answer makes, each with the wordings that count.",
                validators=[learn.models.validate_rubric],
            ),
        ),
        migrations.AlterField(
            model_name="followup",
            name="answer",
            field=models.TextField(
                help_text="Markdown. The model answer: it makes every rubric point."
            ),
        ),
    ]
