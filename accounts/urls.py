from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import mfa, passkey_views, password, reauth, session_views, views
from accounts.signin import SignInView

app_name = "accounts"

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("password/", password.password_change, name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # "Forgot your password?" (accounts/password.py); uidb64 carries the public id, in hex.
    path("password/reset/", password.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        password.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        password.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Signed-in browsers (accounts/sessions.py) and the password asked again (accounts/reauth.py).
    path("sessions/", session_views.sessions, name="sessions"),
    path("sessions/end/", session_views.session_end, name="session_end"),
    path("sessions/end-others/", session_views.sessions_end_others, name="sessions_end_others"),
    path("reauth/", reauth.reauth, name="reauth"),
    path("mfa/", mfa.mfa, name="mfa"),
    path("mfa/qr.svg", mfa.mfa_qr, name="mfa_qr"),
    path("mfa/backup-codes/", mfa.backup_codes, name="mfa_backup_codes"),
    # Passkeys (accounts/passkey_views.py): the page, and the JSON steps the browser script calls
    # (django-otp-webauthn's views with our rules; its own urls.py is not included).
    path("passkeys/", passkey_views.passkeys, name="passkeys"),
    path("passkeys/rename/", passkey_views.passkey_rename_view, name="passkey_rename"),
    path("passkeys/remove/", passkey_views.passkey_remove_view, name="passkey_remove"),
    path("passkeys/offer/no/", passkey_views.passkey_offer_dismiss, name="passkey_offer_dismiss"),
    path(
        "passkeys/register/begin/",
        passkey_views.RegisterBegin.as_view(),
        name="passkey_register_begin",
    ),
    path(
        "passkeys/register/complete/",
        passkey_views.RegisterComplete.as_view(),
        name="passkey_register_complete",
    ),
    path(
        "passkeys/sign-in/begin/",
        passkey_views.SignInBegin.as_view(),
        name="passkey_sign_in_begin",
    ),
    path(
        "passkeys/sign-in/complete/",
        passkey_views.SignInComplete.as_view(),
        name="passkey_sign_in_complete",
    ),
]
