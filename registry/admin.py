"""The register in the Django admin: treatment plans only (the clinic's settings, no patient).

Adverse events are health data: they are read and changed on the patient's pages, where every
view is access-logged and every change keeps its earlier version, and never deleted.
"""

from django.contrib import admin

from accounts.admin import ClinicScopedAdmin
from registry.models import TreatmentPlan


@admin.register(TreatmentPlan)
class TreatmentPlanAdmin(ClinicScopedAdmin):
    # A clinic administrator reads them here and records them on the "Treatment plans" page,
    # whose form checks a number the clinic has used already (the clinic is not a field here).
    clinic_admin_can_add = False
    clinic_admin_can_change = False
    list_display = ["number", "title", "agent", "risk_class", "accepted_on", "committee"]
    list_filter = ["agent", "risk_class"]
    search_fields = ["number", "title"]
    readonly_fields = ["created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("clinic")  # a clinic administrator's plans are their clinic's
        return fields

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.clinic_id = request.user.clinic_id
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
