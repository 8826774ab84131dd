from django.core.management.base import BaseCommand

from diary.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail patients in an injection course who have not filled in today's diary by their "
        "clinic's evening hour. Once per patient per day; run it hourly from cron: "
        "'5 * * * * cd /srv/diary && .venv/bin/python manage.py send_reminders'."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Reminders sent: {reminders_send()}.")
