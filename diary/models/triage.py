"""Where each patient stands on the clinic's dashboard, stored so the clinic's list is sorted
without looking through every patient's flags and diary (see `diary.triage`)."""

from django.conf import settings
from django.db import models


class PatientTriage(models.Model):
    """Derived from the patient's open flags and diary entries (`diary.triage`) in every
    transaction that changes them; never edited. A patient without a row has no open flag and
    no entry, which is what the dashboard then assumes."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="triage",
    )
    # 0 urgent, 1 caution, 2 not logging (`diary.triage.GROUP_*`); NULL without such a flag.
    flag_group = models.PositiveSmallIntegerField(null=True)
    urgent_since = models.DateField(null=True)  # the oldest open urgent flag's first day
    last_activity = models.DateTimeField(null=True)  # the latest save of a diary entry
    # The patient's data was erased (an erasure request carried out): on no list of the clinic.
    erased = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.flag_group}"
