"""Settings for the test suite: fast hashing, in-memory e-mail, no manifest for static files."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SITE_URL = "http://testserver"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# Most tests sign clinicians in with force_login; the tests of two-factor sign-in turn this on.
MFA_REQUIRED = False
# Passkeys (accounts/passkeys.py) work at localhost only: view tests send Host: localhost, and
# the browser test adds its live server's origin (a port chosen at random) to this list.
OTP_WEBAUTHN_RP_ID = "localhost"
OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://localhost"]
