"""Settings for the post-injection symptom diary.

Every value a deployment may change comes from an environment variable (see README.md).
Nothing exists only in production: the same file runs the demo, the tests and a clinic.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from config.relying_party import default_allowed_origins, default_rp_id, relying_party_check

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key" if DEBUG else None)
if not DEBUG and SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("Set a real SECRET_KEY when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute address used in links inside e-mails (invitations, alerts).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "accounts",
    "diary",
    "registry",  # the regenerative-medicine register (plans, adverse events, outcomes)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",  # passkeys: sign-in for patients, a second factor for staff
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Near the top, so it sees every answer: staff pages never stored, patient pages revalidated.
    "config.cache_headers.CacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Lets absolute links (SITE_URL) warn in the log when the request came to another address.
    "config.site_url.RequestOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "accounts.middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.PermissionsPolicyMiddleware",
    # A body in another charset: 400 in the user's language (inside the header middleware, so
    # the page has its headers) before the CSRF check or a view reads it.
    "config.charset.Utf8OnlyMiddleware",
    # Last, so that it sees the result of authentication (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite needs no setup; DATABASE_URL=postgres://user:pass@host/db switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many patients saving at once: write transactions take the lock when they begin and wait
    # for it (instead of failing with "database is locked"); WAL lets reads go on meanwhile.
    # A page cache of SQLITE_CACHE_MIB per connection (SQLite's default is 2 MiB) keeps the
    # indexes the dashboard's triage order reads in memory as the clinic grows.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_TIMEOUT_SECONDS", 20),
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA cache_size=-{env_int('SQLITE_CACHE_MIB', 32) * 1024};"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",  # django-axes: counts failed sign-ins, locks out
    # Django's password backend and the passkey one, each loading the session's user with their
    # clinic in one query (accounts/backends.py).
    "accounts.backends.ClinicModelBackend",
    # A passkey sign-in (accounts/passkeys.py); it authenticates nothing else.
    "accounts.backends.ClinicWebAuthnBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Clinicians: at least 8 characters plus a one-time code; patients: at least 13.
    {"NAME": "accounts.validators.RoleMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Repeated characters, sequences, a common word with digits: aaaaaaaaaaaaa, password1234567.
    {"NAME": "accounts.validators.PatternPasswordValidator"},
]
PASSWORD_MIN_LENGTH_PATIENT = 13
PASSWORD_MIN_LENGTH_STAFF = 8

# Sign-in lockout, two counts (accounts/lockout.py): 5 wrong passwords for one account, from
# any mix of addresses, lock that account for 15 minutes; LOCKOUT_ADDRESS_FAILURE_LIMIT wrong
# passwords from one address, across any accounts, lock that address. Signed-in sessions stay.
AXES_FAILURE_LIMIT = 5
LOCKOUT_ADDRESS_FAILURE_LIMIT = env_int("LOCKOUT_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one, not only the pair
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The sign-in form's field (axes would look for `email`, the user model's USERNAME_FIELD, and
# find nothing), counted in lower case: e-mail addresses sign in in any case.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
# Tries while locked are not checked and do not restart the 15 minutes the page promises.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Behind a reverse proxy the client address is in X-Forwarded-For: set TRUSTED_PROXY_COUNT to
# the number of proxies in front, or every client shares the proxy's address in the lockout.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_VERBOSE = False

# Clinic staff must confirm a one-time code (TOTP or a backup code) before any patient data.
# On by default; `make run` turns it off for the local demo only (see README).
MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
OTP_TOTP_ISSUER = "Injection diary"

# Passkeys (django-otp-webauthn): a patient signs in with the phone's fingerprint or face, staff
# may use one instead of the authenticator code. A passkey works only on the relying party's
# domain and the origins listed here; both default from SITE_URL (`localhost` for an IP address:
# browsers refuse passkeys on 127.0.0.1). Changing OTP_WEBAUTHN_RP_ID later makes every
# registered passkey useless. See README.md ("Passkeys").
OTP_WEBAUTHN_RP_ID = env_str("OTP_WEBAUTHN_RP_ID", default_rp_id(SITE_URL)).strip().lower()
OTP_WEBAUTHN_RP_NAME = env_str("OTP_WEBAUTHN_RP_NAME", OTP_TOTP_ISSUER)
OTP_WEBAUTHN_ALLOWED_ORIGINS = relying_party_check(
    OTP_WEBAUTHN_RP_ID,
    env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", ",".join(default_allowed_origins(SITE_URL))),
)
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"

# Sessions: signed out after a while without activity (shorter for clinic staff, who use
# shared computers), and after an absolute lifetime whatever the activity.
SESSION_IDLE_MINUTES_STAFF = env_int("SESSION_IDLE_MINUTES_STAFF", 15)
SESSION_IDLE_MINUTES_PATIENT = env_int("SESSION_IDLE_MINUTES_PATIENT", 60)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
# Patients who tick "Stay signed in on this phone" (and whose clinic allows it) keep a rolling
# session of this many days instead; staff never do (accounts/sessions.py, docs/SECURITY.md).
PATIENT_REMEMBER_DAYS = env_int("PATIENT_REMEMBER_DAYS", 90)
# Downloading data, asking for erasure, a new password or passkey: the password (or a passkey)
# must have been given within this many hours, or it is asked for again (accounts/reauth.py).
REAUTH_MAX_AGE_HOURS = env_int("REAUTH_MAX_AGE_HOURS", 24)
# "Forgot your password?": the e-mailed link works once, for this long.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60
# ... and is sent at most PASSWORD_RESET_ACCOUNT_LIMIT times per account, for at most
# PASSWORD_RESET_ADDRESS_LIMIT requests from one network address (any e-mail addresses), in
# PASSWORD_RESET_LIMIT_WINDOW_MINUTES (counted in the database: accounts/password.py).
PASSWORD_RESET_ACCOUNT_LIMIT = env_int("PASSWORD_RESET_ACCOUNT_LIMIT", 3)
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 10)
PASSWORD_RESET_LIMIT_WINDOW = timedelta(minutes=env_int("PASSWORD_RESET_LIMIT_WINDOW_MINUTES", 60))
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)

# Japanese first; the clinic's time zone defines "today" (see diary.selectors.clinic_today).
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = env_str("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "diary@localhost")

# HTTPS in production: secure cookies, HSTS, redirect. Behind a proxy that terminates TLS set
# SECURE_PROXY_SSL_HEADER=1 (it must strip a client's X-Forwarded-Proto).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = not DEBUG and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG and env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# No inline script or style anywhere; charts and the report use data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # it logs every sign-in at INFO
    },
}
