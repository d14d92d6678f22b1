"""Copy the SQLite database to a consistent backup file, safely while the site is running."""

import sqlite3
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"


def sqlite_backup(source: Path, target: Path) -> None:
    """Copy `source` to `target` with SQLite's online backup API, then check the copy.

    One backup step reads a single snapshot: with WAL, writers carry on meanwhile and the
    copy holds exactly the transactions committed when it started. The copy is written under
    a temporary name and renamed into place, so `target` is never a half-written file.
    """
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=20)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        # A self-contained file: no -wal beside it to forget when copying it elsewhere.
        dst.execute("PRAGMA journal_mode=DELETE")
        problems = [row[0] for row in dst.execute("PRAGMA integrity_check")]
    finally:
        dst.close()
        src.close()
    if problems != ["ok"]:
        partial.unlink(missing_ok=True)
        raise CommandError(f"The copy failed its integrity check: {'; '.join(problems[:5])}")
    partial.rename(target)


class Command(BaseCommand):
    help = (
        "Back up the SQLite database with the online backup API (safe while the site runs) "
        "to backups/status-academy-YYYYmmdd-HHMMSS.sqlite3 or PATH, and check the copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the copy (a new file).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path=None, database=DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        if connection.vendor != "sqlite":
            raise CommandError(
                f"backup_db copies SQLite databases, and this one is {connection.display_name}. "
                "Use its own tool: pg_dump --format=custom --file=status-academy.dump "
                '"$DATABASE_URL" (restore with pg_restore --clean --dbname=...).'
            )
        if connection.is_in_memory_db():
            raise CommandError("The database is in memory: there is no file to back up.")
        source = Path(connection.settings_dict["NAME"])
        if not source.is_file():
            raise CommandError(f"There is no database file at {source}: nothing to back up.")
        if path:
            target = Path(path)
        else:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            target = BACKUP_DIR / f"status-academy-{stamp}.sqlite3"
        if target.exists():
            raise CommandError(f"{target} already exists: choose a new name.")
        target.parent.mkdir(parents=True, exist_ok=True)
        sqlite_backup(source, target)
        size = target.stat().st_size
        self.stdout.write(
            f"Backed up {source} to {target} ({size:,} bytes, integrity check ok).\n"
            f"To restore: stop the site, copy it over {source.name}, delete "
            f"{source.name}-wal and {source.name}-shm, start the site."
        )
