from django.contrib import admin

from accounts.admin import ClinicScopedAdmin
from diary.models import DiaryEntry, DiaryEntryVersion, Injection


@admin.register(Injection)
class InjectionAdmin(ClinicScopedAdmin):
    clinic_lookup = "patient__clinic"
    clinic_admin_can_add = False  # injections are recorded on the patient page
    list_display = ["patient", "day", "joint", "side", "agent", "course_number"]
    list_filter = ["joint", "agent"]
    search_fields = ["patient__name", "patient__patient_number"]
    readonly_fields = ["patient", "created_by", "created_at"]


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
