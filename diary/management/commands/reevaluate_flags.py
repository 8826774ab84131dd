from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from diary.alerts import urgent_alerts_on_commit
from diary.flagging import flags_evaluate


class Command(BaseCommand):
    help = (
        "Re-run the red-flag rules over every patient's whole history (e.g. after a clinic "
        "changed its fever thresholds). Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinic", type=int, help="Only the patients of this clinic id.")

    def handle(self, *args, clinic=None, **options):
        patients = User.objects.filter(role=User.Role.PATIENT).select_related("clinic")
        if clinic is not None:
            patients = patients.filter(clinic_id=clinic)
        opened = withdrawn = 0
        for patient in patients.iterator():
            with transaction.atomic():
                changes = flags_evaluate(patient=patient)
                urgent_alerts_on_commit(changes.newly_urgent)
            opened += len(changes.opened)
            withdrawn += len(changes.withdrawn)
        self.stdout.write(f"Flags opened: {opened}, withdrawn: {withdrawn}.")
