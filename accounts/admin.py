"""Django admin for clinic administrators, limited to their own clinic.

A superuser sees everything; a clinic administrator sees and manages only their clinic's
users and settings. The admin is for accounts and settings: diary entries and their history are
not in it (they are read on the patient page), and every admin page that does show a patient —
the patient's account, an injection — writes the access log (PatientDataAdminMixin).
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessLog, Clinic, Invitation, User
from accounts.services import access_log_write_many


def is_clinic_admin(user) -> bool:
    # Without a clinic the clinic filter below would match every clinic-less user (superusers).
    return (
        user.is_active
        and user.is_staff
        and user.role == User.Role.CLINIC_ADMIN
        and bool(user.clinic_id)
    )


class ClinicScopedAdmin(admin.ModelAdmin):
    """Rows are filtered by `clinic_lookup`; permissions follow the clinic admin role."""

    clinic_lookup = "clinic"
    clinic_admin_can_add = True
    clinic_admin_can_change = True
    clinic_admin_can_delete = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.clinic_lookup: request.user.clinic_id})

    def has_module_permission(self, request):
        return request.user.is_superuser or is_clinic_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        if request.user.is_superuser:
            return True
        return self.clinic_admin_can_add and is_clinic_admin(request.user)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        return self.clinic_admin_can_change and is_clinic_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        return self.clinic_admin_can_delete and is_clinic_admin(request.user)


class PatientDataAdminMixin:
    """Every admin page that shows a patient's data writes the access log, as the patient page
    does: the list (one row per patient on the page shown), the change form, the history and
    the delete confirmation (also of "delete selected"). `patient_of` says whose data a row is.
    """

    def patient_of(self, obj) -> User | None:
        raise NotImplementedError

    def _log_shown(self, request, response, key: str):
        context = getattr(response, "context_data", None) or {}
        shown = context.get(key)
        if shown is None:
            return response
        if key == "cl":  # the change list: the rows of the page it shows
            shown = shown.result_list
        objects = shown if key in ("cl", "queryset") else [shown]
        patients = [patient for obj in objects if (patient := self.patient_of(obj)) is not None]
        access_log_write_many(request, patients=patients, action=AccessLog.Action.ADMIN)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # An action's confirmation page (delete selected) lists the chosen rows instead.
        key = "queryset" if "queryset" in (getattr(response, "context_data", None) or {}) else "cl"
        return self._log_shown(request, response, key)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._log_shown(request, response, "original")

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        return self._log_shown(request, response, "object")

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._log_shown(request, response, "object")


@admin.register(Clinic)
class ClinicAdmin(ClinicScopedAdmin):
    clinic_lookup = "pk"
    clinic_admin_can_add = False
    list_display = [
        "name",
        "phone",
        "after_hours_phone",
        "time_zone",
        "fever_caution_c",
        "fever_urgent_c",
    ]


class ClinicUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


class ClinicUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(PatientDataAdminMixin, ClinicScopedAdmin, BaseUserAdmin):
    form = ClinicUserChangeForm
    add_form = ClinicUserCreationForm
    ordering = ["name"]
    list_display = ["name", "email", "role", "patient_number", "clinic", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["name", "email", "patient_number"]
    readonly_fields = ["public_id", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password", "public_id"]}),
        (
            _("Person"),
            {"fields": ["name", "role", "clinic", "patient_number", "birth_date", "language"]},
        ),
        (_("Status"), {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
        (_("Permissions"), {"fields": ["is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "name", "role", "clinic", "password1", "password2"],
            },
        ),
    ]

    def patient_of(self, obj) -> User | None:
        return obj if obj.role == User.Role.PATIENT else None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # A clinic administrator must not reset the password of a superuser of their clinic.
        return queryset.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # A clinic administrator cannot hand out superuser rights or raw permissions.
        return [fs for fs in fieldsets if fs[0] != _("Permissions")]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["clinic", "is_staff"]
            if obj is not None and obj.role == User.Role.PATIENT:
                # No silent takeover: changing a patient's e-mail (then sending a link to it) or
                # role would let staff act as the patient. A patient who lost access gets a link
                # e-mailed from the patient page, which the access log records.
                fields += ["email", "role"]
        return fields

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            user = self.get_object(request, unquote(id))
            if user is not None and user.role == User.Role.PATIENT:
                raise PermissionDenied  # staff never set a patient's password
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.clinic_id = request.user.clinic_id
            obj.is_superuser = False
        # Only clinic administrators (and superusers) may use this admin site.
        obj.is_staff = obj.is_superuser or obj.role == User.Role.CLINIC_ADMIN
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(ClinicScopedAdmin):
    clinic_lookup = "user__clinic"
    clinic_admin_can_add = False
    clinic_admin_can_change = False
    list_display = ["user", "purpose", "created_by", "created_at", "expires_at", "used_at"]
    readonly_fields = [
        "user",
        "purpose",
        "token_hash",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
    ]


@admin.register(AccessLog)
class AccessLogAdmin(ClinicScopedAdmin):
    """Readable by the clinic's administrator; nobody can add, change or delete rows."""

    list_display = ["at", "user", "patient", "action", "ip"]
    list_filter = ["action"]
    search_fields = ["user__name", "patient__name", "patient__patient_number"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
