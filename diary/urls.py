from django.urls import path

from diary.views import patient

app_name = "diary"

urlpatterns = [
    path("", patient.home, name="home"),
    path("entry/", patient.entry, name="entry_today"),
    path("entry/<str:day>/", patient.entry, name="entry"),
    path("entry/<str:day>/saved/", patient.entry_saved, name="entry_saved"),
    path("history/", patient.history, name="history"),
]
