"""Delete anonymous learners whose session has long expired: nobody can reach their progress."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quiz.progress.learners import learners_prune, stale_learners


class Command(BaseCommand):
    help = (
        "Delete anonymous learners (no account) not seen and with no activity for N days, with "
        "everything they did. N is at least the session's age, so a learner whose browser can "
        "still come back is never touched. Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, required=True, help="Days without a visit or any activity."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go; delete nothing."
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        minimum = -(-settings.SESSION_COOKIE_AGE // 86400)
        if days < minimum:
            raise CommandError(
                f"--days must be at least {minimum}: a session lasts {minimum} days from the "
                "learner's last visit, and their progress must outlive it."
            )
        now = timezone.now()
        if dry_run:
            count = stale_learners(days=days, now=now).count()
            self.stdout.write(f"Dry run: {count} anonymous learners would be deleted.")
            return
        count = learners_prune(days=days, now=now)
        self.stdout.write(f"Deleted {count} anonymous learners not seen for {days} days.")
