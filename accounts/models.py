"""Clinics, users (signing in with e-mail) and one-time invitations."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.bidi import without_bidi_controls


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(
        _("phone number for patients"),
        max_length=40,
        help_text=_("The number patients should call when the diary shows a warning sign."),
    )
    after_hours_phone = models.CharField(
        _("after-hours phone number"),
        max_length=40,
        blank=True,
        help_text=_(
            "Optional: the number patients should call at night and on holidays, when the clinic "
            "is closed. Without it, patients are told to call a hospital with an emergency "
            "department."
        ),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Tokyo", validators=[validate_time_zone]
    )
    fever_caution_c = models.DecimalField(
        _("fever threshold, caution (°C)"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("37.5"),
        validators=[MinValueValidator(Decimal("36.5")), MaxValueValidator(Decimal("39.5"))],
    )
    fever_urgent_c = models.DecimalField(
        _("fever threshold, urgent (°C)"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("38.0"),
        validators=[MinValueValidator(Decimal("37.0")), MaxValueValidator(Decimal("40.0"))],
    )

    reminder_hour = models.PositiveSmallIntegerField(
        _("evening reminder hour"),
        default=19,
        validators=[MinValueValidator(12), MaxValueValidator(23)],
        help_text=_(
            "Patients who have not filled in the diary by this hour (clinic time) get an e-mail."
        ),
    )

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        constraints = [
            models.CheckConstraint(
                condition=Q(fever_urgent_c__gte=models.F("fever_caution_c")),
                name="clinic_fever_urgent_not_below_caution",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = without_bidi_controls(self.name)
        if (
            self.fever_caution_c is not None
            and self.fever_urgent_c is not None
            and self.fever_urgent_c < self.fever_caution_c
        ):
            raise ValidationError(
                {"fever_urgent_c": _("The urgent threshold cannot be below the caution threshold.")}
            )

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("Users need an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password (invited patients)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email: str) -> User:
        # E-mail addresses are matched case-insensitively: "Taro@Example.jp" is the same person.
        return self.get(email__iexact=email)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True, role=User.Role.CLINIC_ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        PATIENT = "patient", _("Patient")
        CLINICIAN = "clinician", _("Clinician")
        CLINIC_ADMIN = "clinic_admin", _("Clinic administrator")

    # Opaque identifier for URLs: sequential ids would reveal how many patients a clinic has.
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PATIENT)
    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    patient_number = models.CharField(
        _("patient number"),
        max_length=32,
        blank=True,
        help_text=_("The clinic's own record number for this patient."),
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[("ja", _("Japanese")), ("en", _("English"))],
        default="ja",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can sign in to the admin site.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "patient_number"],
                condition=~Q(patient_number=""),
                name="user_unique_patient_number_per_clinic",
            ),
            models.CheckConstraint(
                condition=Q(role="clinic_admin") | Q(clinic__isnull=False),
                name="user_patients_and_clinicians_belong_to_a_clinic",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        # Invisible direction controls could make the name spoof what follows it (accounts.bidi).
        typed, self.name = self.name, without_bidi_controls(self.name).strip()
        if typed and not self.name:  # nothing but controls (a blank name is refused already)
            raise ValidationError({"name": self._meta.get_field("name").error_messages["blank"]})

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT

    @property
    def is_clinic_staff(self) -> bool:
        """Clinicians and clinic administrators both look after the clinic's patients."""
        return self.role in (self.Role.CLINICIAN, self.Role.CLINIC_ADMIN) and bool(self.clinic_id)

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class Invitation(models.Model):
    """A one-time link that lets a registered patient choose a password.

    Only a hash of the token is stored, so a database copy cannot be used to sign in.
    A link sent later for the existing account (`NEW_LINK`) opens a session whose diary saves
    are marked in the edit history: clinic staff may have seen it (see accounts/services.py).
    """

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("Invitation on registration")
        NEW_LINK = "new_link", _("New link for an existing account")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitations"
    )
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.REGISTRATION
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and now < self.expires_at


class AccessLogQuerySet(models.QuerySet):
    """Append-only: rows can be added and read, never changed or deleted through the app."""

    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")


class AccessLog(models.Model):
    """Every time clinic staff, or an administrator in the Django admin, opens a patient's
    record, chart, report, injection or goal form, erasure page or an export."""

    class Action(models.TextChoices):
        VIEW_PATIENT = "view_patient", _("Viewed the patient page")
        VIEW_CHART = "view_chart", _("Viewed a chart")
        VIEW_REPORT = "view_report", _("Viewed the visit report")
        DOWNLOAD_REPORT = "download_report", _("Downloaded the visit report (PDF)")
        EXPORT = "export", _("Exported data")
        INJECTION_FORM = "injection_form", _("Opened the injection form")
        GOAL_FORM = "goal_form", _("Opened the goal form")
        ERASURE_PAGE = "erasure_page", _("Opened the erasure page")
        # Anything of a patient's shown by the Django admin (a list: one row per patient on it).
        ADMIN = "admin", _("Viewed in the Django admin")
        SEND_LINK = "send_link", _("Sent a new sign-in link")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+"
    )
    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        User,
        verbose_name=_("patient"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("what"), max_length=32, choices=Action.choices)
    path = models.CharField(_("address"), max_length=300)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["clinic", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")
