"""The web app manifest (issue 20): the diary on the phone's home screen, in the user's language."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# The page's colours (Bootstrap's body background, static/css/app.css): the splash screen and
# the bar above the app are the white of the diary's own header.
THEME_COLOR = BACKGROUND_COLOR = "#ffffff"
MANIFEST_MAX_AGE = 3600
ICONS = (
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
)


def web_manifest(request):
    """Public (the browser fetches it without cookies): the language comes from `?lang=`,
    which every page's link carries, and otherwise from the request as any page's would."""
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        manifest = {
            "id": reverse("diary:home"),
            "name": _("Injection diary"),
            "short_name": pgettext("the app's name under its icon on the phone", "Diary"),
            "description": _("Your daily diary after a joint injection, read by your clinic."),
            "lang": translation.get_language(),
            "dir": "ltr",
            "start_url": reverse("diary:home"),
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "icons": [
                {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
                for path, sizes, purpose in ICONS
            ],
        }
    response = HttpResponse(
        json.dumps(manifest, ensure_ascii=False, indent=2),
        content_type="application/manifest+json",
    )
    patch_cache_control(response, public=True, max_age=MANIFEST_MAX_AGE)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response
