"""The diary in the Django admin: only injections, to correct or delete one recorded wrongly.

Diary entries, their earlier versions and goals are not in the admin: clinic staff read them on
the patient page (access-logged, with the edit history beside them), and nobody needs a list of
every patient's symptoms. What the admin shows of a patient is access-logged (see
accounts.admin.PatientDataAdminMixin).
"""

from django.contrib import admin
from django.db import transaction

from accounts.admin import ClinicScopedAdmin, PatientDataAdminMixin
from diary.alerts import urgent_alerts_on_commit
from diary.flagging import flags_evaluate
from diary.models import INJECTION_FIELDS, Injection
from diary.services import injection_save


@admin.register(Injection)
class InjectionAdmin(PatientDataAdminMixin, ClinicScopedAdmin):
    clinic_lookup = "patient__clinic"
    clinic_admin_can_add = False  # injections are recorded on the patient page
    list_display = ["patient", "day", "joint", "side", "agent", "course_number"]
    list_filter = ["joint", "agent"]
    search_fields = ["patient__name", "patient__patient_number"]
    readonly_fields = ["patient", "created_by", "created_at"]

    def patient_of(self, obj):
        return obj.patient

    # Day numbers come from the injections, so the rules run again after every change here,
    # exactly as after a change on the patient page.
    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in INJECTION_FIELDS}
        injection_save(patient=obj.patient, values=values, recorded_by=request.user, injection=obj)

    def delete_model(self, request, obj):
        with transaction.atomic():
            patient = obj.patient
            obj.delete()
            urgent_alerts_on_commit(flags_evaluate(patient=patient).newly_urgent)

    def delete_queryset(self, request, queryset):
        for injection in queryset.select_related("patient"):
            self.delete_model(request, injection)
