from django.contrib import admin
from django.db import transaction

from accounts.admin import ClinicScopedAdmin
from diary.alerts import urgent_alerts_on_commit
from diary.flagging import flags_evaluate
from diary.models import INJECTION_FIELDS, DiaryEntry, DiaryEntryVersion, Injection
from diary.services import injection_save


@admin.register(Injection)
class InjectionAdmin(ClinicScopedAdmin):
    clinic_lookup = "patient__clinic"
    clinic_admin_can_add = False  # injections are recorded on the patient page
    list_display = ["patient", "day", "joint", "side", "agent", "course_number"]
    list_filter = ["joint", "agent"]
    search_fields = ["patient__name", "patient__patient_number"]
    readonly_fields = ["patient", "created_by", "created_at"]

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


@admin.register(DiaryEntry)
class DiaryEntryAdmin(ClinicScopedAdmin):
    """Read-only: a patient's answers are changed only by the patient, with history."""

    clinic_lookup = "patient__clinic"
    clinic_admin_can_add = False
    clinic_admin_can_change = False
    list_display = ["patient", "day", "pain", "swelling", "warmth", "temperature_c"]
    search_fields = ["patient__name", "patient__patient_number"]
    date_hierarchy = "day"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DiaryEntryVersion)
class DiaryEntryVersionAdmin(DiaryEntryAdmin):
    clinic_lookup = "entry__patient__clinic"
    list_display = ["entry", "changed_at", "changed_by", "changed_fields"]
    search_fields = ["entry__patient__name"]
    date_hierarchy = "changed_at"
