from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from accounts.sessions import on_user_logged_in, on_user_logged_out

        # Whatever the way of signing in (password, passkey, invitation link): the browser is
        # listed, and the password (or passkey) counts as just given (accounts/reauth.py).
        user_logged_in.connect(on_user_logged_in, dispatch_uid="accounts.sessions.logged_in")
        user_logged_out.connect(on_user_logged_out, dispatch_uid="accounts.sessions.logged_out")
