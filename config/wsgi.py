"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

# Django's handler, with a request that survives any declared charset (config/charset.py).
from config.charset import Utf8WSGIHandler  # noqa: E402

application = Utf8WSGIHandler()
