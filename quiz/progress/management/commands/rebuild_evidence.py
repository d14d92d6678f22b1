"""Recompute every learner's evidence per code and confusions from their answers."""

from django.core.management.base import BaseCommand

from quiz.progress.evidence import evidence_rebuild
from quiz.progress.models import Learner


class Command(BaseCommand):
    help = (
        "Recompute mastery evidence and confusions from the answers, for every learner. Imports "
        "and admin edits of a question's subject do this for the learners concerned; this is "
        "for repairs."
    )

    def handle(self, *args, **options):
        ids = list(Learner.objects.values_list("pk", flat=True))
        for start in range(0, len(ids), 200):
            evidence_rebuild(ids[start : start + 200])
        self.stdout.write(f"Rebuilt the evidence of {len(ids)} learners.")
