from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diary.backup import backup_restore


class Command(BaseCommand):
    help = "Replace the database's contents with a snapshot written by 'manage.py backup'."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, source, yes=False, **options):
        if not source.exists():
            raise CommandError(f"No such backup: {source}")
        if not yes:
            answer = input("This replaces every row in the database. Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Not restored.")
        try:
            backup_restore(source)
        except Exception as error:
            raise CommandError(f"Restore failed, nothing was changed: {error}") from error
        self.stdout.write(f"Restored from {source}.")
