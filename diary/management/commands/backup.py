from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from diary.backup import backup_write


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database while the app keeps running "
        "(SQLite online backup API, or pg_dump). Example cron line: "
        "'30 2 * * * cd /srv/diary && .venv/bin/python manage.py backup'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="File to write (default: backups/…)")

    def handle(self, *args, output=None, **options):
        if output is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BASE_DIR) / "backups" / f"diary-{stamp}.backup"
        path = backup_write(output)
        self.stdout.write(f"Backup written: {path} ({path.stat().st_size:,} bytes)")
