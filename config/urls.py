from django.contrib import admin
from django.urls import include, path

from accounts.views import home
from diary.views.manifest import web_manifest
from diary.views.report import font

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("diary/", include("diary.urls")),
    path("clinic/", include("diary.clinic_urls")),
    path("", include("registry.urls")),  # /clinic/plans/, /clinic/outcomes/, …
    path("admin/", admin.site.urls),
    path("fonts/ipaexg.ttf", font, name="font"),
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
]
