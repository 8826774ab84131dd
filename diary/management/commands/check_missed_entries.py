from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from diary.alerts import urgent_alerts_on_commit
from diary.flagging import flags_evaluate
from diary.red_flags import MISSED_ENTRIES, MISSED_ENTRIES_WINDOW


class Command(BaseCommand):
    help = (
        "Raise 'not logging' (missed_entries) for today for patients in days 1–14 after an "
        "injection. Meant for cron, e.g. every morning: "
        "'15 8 * * * cd /srv/diary && .venv/bin/python manage.py check_missed_entries'."
    )

    def handle(self, *args, **options):
        # Generous by one day: clinics in other time zones may already be on the next date.
        since = timezone.now().date() - timedelta(days=MISSED_ENTRIES_WINDOW[1] + 1)
        patients = (
            User.objects.filter(role=User.Role.PATIENT, is_active=True, injections__day__gte=since)
            .select_related("clinic")
            .distinct()
        )
        raised = 0
        for patient in patients.iterator():
            with transaction.atomic():
                changes = flags_evaluate(patient=patient)
                urgent_alerts_on_commit(changes.newly_urgent)
            raised += sum(1 for flag in changes.opened if flag.code == MISSED_ENTRIES)
        self.stdout.write(f"'Not logging' flags raised: {raised}.")
