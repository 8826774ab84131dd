"""Django admin for clinic administrators, limited to their own clinic.

A superuser sees everything; a clinic administrator sees and manages only their clinic's
users and settings. Diary data is read-only here: edits go through the app, which keeps history.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessLog, Clinic, Invitation, User


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


@admin.register(Clinic)
class ClinicAdmin(ClinicScopedAdmin):
    clinic_lookup = "pk"
    clinic_admin_can_add = False
    list_display = ["name", "phone", "time_zone", "fever_caution_c", "fever_urgent_c"]


class ClinicUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


class ClinicUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(ClinicScopedAdmin, BaseUserAdmin):
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
        return fields

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
    list_display = ["user", "created_at", "expires_at", "used_at"]
    readonly_fields = ["user", "token_hash", "created_by", "created_at", "expires_at", "used_at"]


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
