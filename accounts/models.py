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
from django.utils.translation import pgettext_lazy

from accounts import contact
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
    # Escalation of unacknowledged urgent flags (diary/escalation.py) and the response targets
    # of the quality page (diary/quality.py).
    escalation_minutes = models.PositiveSmallIntegerField(
        _("escalation time (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
        help_text=_(
            "An urgent warning sign that nobody has acknowledged after this many minutes is "
            "sent again to every clinician and clinic administrator and to the on-call address; "
            "then again after each such interval."
        ),
    )
    escalation_max = models.PositiveSmallIntegerField(
        _("escalation notices at most"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_(
            "How many times an unacknowledged urgent warning sign is sent again (0: never)."
        ),
    )
    on_call_email = models.EmailField(
        _("on-call e-mail address"),
        blank=True,
        help_text=_(
            "Optional: an address that also gets the repeated notices, e.g. the mail address of "
            "the on-call phone. It gets the patient number and a link only, not the name."
        ),
    )
    urgent_target_minutes = models.PositiveSmallIntegerField(
        _("target for acknowledging urgent signs (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    caution_target_hours = models.PositiveSmallIntegerField(
        _("target for acknowledging cautions (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(14 * 24)],
    )
    # Sign-in (accounts/sessions.py, accounts/signin.py): switched off, "Stay signed in on this
    # phone" is not offered and patients' sessions follow the usual time limits at once.
    patients_stay_signed_in = models.BooleanField(
        _("patients may stay signed in on their phone"),
        default=True,
        help_text=_(
            "Offers patients “Stay signed in on this phone” at sign-in: they are signed out "
            "only after months without using the diary on that phone. Switch it off if your "
            "patients often share a phone or use a shared computer; signed-in patients are then "
            "signed out after an hour without activity."
        ),
    )
    email_domains = models.CharField(
        _("e-mail domains"),
        max_length=300,
        blank=True,
        help_text=_(
            "Optional: the domains of your clinic's e-mail addresses, separated by commas "
            "(e.g. sakura-clinic.jp). Someone who types such an address on the sign-in page is "
            "shown your clinic's phone number."
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
        self.email_domains = ", ".join(self.email_domain_list())
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

    def today(self, now=None) -> date:
        """The calendar day it is now at the clinic (default Asia/Tokyo), whatever the server's
        zone. `now`: an aware datetime to use instead of the clock."""
        return (now or timezone.now()).astimezone(self.tz).date()

    def email_domain_list(self) -> list[str]:
        """`email_domains` as lower-case domains, without "@" or empty pieces."""
        pieces = self.email_domains.replace(";", ",").replace(" ", ",").split(",")
        return [p.strip().lstrip("@").lower() for p in pieces if p.strip().lstrip("@")]


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
    # The patient's pages in a larger type (chosen on the settings page; any device they use).
    text_size = models.CharField(
        _("text size"),
        max_length=8,
        choices=[
            ("normal", pgettext_lazy("text size", "Normal")),
            ("large", pgettext_lazy("text size", "Large")),
            ("xlarge", pgettext_lazy("text size", "Extra large")),
        ],
        default="normal",
    )
    # Reaching the patient (accounts/contact.py; the forms normalise them): the name in kana
    # as full-width katakana, numbers as typed but NFKC; search keys derived from them in save().
    name_kana = models.CharField(_("name in kana"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    phone2 = models.CharField(_("second phone number"), max_length=40, blank=True)
    phone2_label = models.CharField(
        _("whose is the second number"),
        max_length=40,
        blank=True,
        help_text=_("Whose number it is, e.g. daughter, son, care manager."),
    )
    search_key = models.CharField(max_length=400, blank=True, editable=False)
    phone_search_key = models.CharField(max_length=40, blank=True, editable=False)
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

    # The search keys are derived data with one writer, here: every save keeps them, so no path
    # (a form, the admin, erasure, the demo) can leave a key holding an old name or number.
    SEARCHED_FIELDS = frozenset({"name", "name_kana", "phone", "phone2"})

    def save(self, *args, **kwargs):
        self.search_key = contact.search_key(self.name, self.name_kana)
        self.phone_search_key = contact.phones_search_key(self.phone, self.phone2)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.SEARCHED_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_key", "phone_search_key"}
        super().save(*args, **kwargs)

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
        SIGN_OUT = "sign_out", _("Signed the patient out everywhere")
        CONTACT_FORM = "contact_form", _("Opened the contact details form")
        CALL_OUTCOME = "call_outcome", _("Recorded a call")
        # The regenerative-medicine register (registry/); a page of the whole clinic names no
        # patient.
        VIEW_PLANS = "view_plans", _("Viewed the treatment plans")
        PLAN_FORM = "plan_form", _("Opened the treatment plan form")
        VIEW_PERIODIC_REPORT = "view_periodic_report", _("Viewed a periodic report")
        DOWNLOAD_PERIODIC_REPORT = (
            "download_periodic_report",
            _("Downloaded a periodic report (PDF or CSV)"),
        )
        VIEW_ADVERSE_EVENTS = "view_adverse_events", _("Viewed the list of adverse events")
        VIEW_ADVERSE_EVENT = "view_adverse_event", _("Viewed an adverse event")
        ADVERSE_EVENT_FORM = "adverse_event_form", _("Opened the adverse event form")
        VIEW_EVENT_SUMMARY = "view_event_summary", _("Viewed an adverse event summary")
        DOWNLOAD_EVENT_SUMMARY = (
            "download_event_summary",
            _("Downloaded an adverse event summary (PDF)"),
        )
        VIEW_OUTCOMES = "view_outcomes", _("Viewed what works in our clinic")

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


class UserSession(models.Model):
    """A browser a user is signed in on, for the list where they can sign it out.

    Kept by accounts/sessions.py: made at sign-in, its last use refreshed at most once a minute,
    removed with the session when the browser is signed out. No address, only the kind of device.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="browser_sessions"
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    device = models.CharField(_("device"), max_length=60, blank=True)
    browser = models.CharField(_("browser"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), default=timezone.now)

    class Meta:
        verbose_name = _("signed-in browser")
        verbose_name_plural = _("signed-in browsers")
        indexes = [models.Index(fields=["user", "-last_used_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.device or '?'} · {self.browser or '?'}"


class PasswordResetClaim(models.Model):
    """One "Forgot your password?" request counted against a limit (accounts/password.py): a
    row per request let through from a network address (`client_address`, no user), and a row
    per e-mail sent to an account (`user`, no address). In the database so that every app
    server counts the same; rows older than the window are removed on every write.
    """

    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    client_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [
            models.Index(fields=["client_address", "created_at"]),
            models.Index(fields=["user", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.user_id or self.client_address}"
