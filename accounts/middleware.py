"""Per-user language and the clinic's time zone for every request of a signed-in user."""

from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Runs after AuthenticationMiddleware.

    Before sign-in, LocaleMiddleware has already chosen the language from the cookie or the
    browser's Accept-Language. After sign-in the user's saved choice wins, on every device.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            if user.clinic_id:
                timezone.activate(user.clinic.tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
