"""Load the shipped content (lessons, codes, and any other app's) into the database."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from learn.services import ContentError


class Command(BaseCommand):
    help = (
        "Upsert the content shipped in the repo (learn/content, quiz/content) into the "
        "database. Idempotent: a second run reports everything unchanged."
    )

    def handle(self, *args, **options):
        loaders = [
            import_string(config.content_loader)
            for config in apps.get_app_configs()
            if getattr(config, "content_loader", None)
        ]
        try:
            with transaction.atomic():
                results = [result for loader in loaders for result in loader()]
        except ContentError as error:
            raise CommandError(
                "The content files have problems; nothing was loaded:\n  "
                + "\n  ".join(error.problems)
            ) from error
        for result in results:
            self.stdout.write(str(result))
            for note in result.notes:
                self.stdout.write(f"  {note}")
        if any(result.changed for result in results):
            self.stdout.write(self.style.SUCCESS("Content loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Nothing changed: the content is up to date."))
