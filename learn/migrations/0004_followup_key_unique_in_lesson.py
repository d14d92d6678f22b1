"""A follow-up's key is unique within its lesson (after 0003 filled the keys in)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("learn", "0003_followup_keys")]

    operations = [
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.UniqueConstraint(
                fields=("lesson", "key"), name="followup_key_unique_in_lesson"
            ),
        ),
    ]
