from django.core.management.base import BaseCommand

from diary.reminders import recheck_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail patients who had a caution yesterday and have not logged since: check again "
        "this morning and fill in the diary (what to look at, no finding). Once per patient "
        "per day, from 8:00 clinic time until the clinic's evening hour; run it hourly from "
        "cron: '10 * * * * cd /srv/diary && .venv/bin/python manage.py send_recheck_reminders'."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Re-check reminders sent: {recheck_reminders_send()}.")
