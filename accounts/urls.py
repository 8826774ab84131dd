from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import mfa, views
from accounts.forms import EmailAuthenticationForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/accounts/password/done/"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("mfa/", mfa.mfa, name="mfa"),
    path("mfa/qr.svg", mfa.mfa_qr, name="mfa_qr"),
    path("mfa/backup-codes/", mfa.backup_codes, name="mfa_backup_codes"),
]
