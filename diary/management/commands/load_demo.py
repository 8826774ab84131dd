from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from diary.demo import PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = "Load the demo clinic (only with DEBUG on). Running it again changes nothing."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: this looks like a real deployment."
            )
        result = demo_load()
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(f"Demo clinic loaded ({result.patients} patients).")
            )
        else:
            self.stdout.write("Demo clinic already loaded; nothing changed.")
        self.stdout.write(f"\nDemo logins (password for all: {PASSWORD}):")
        for email, who in demo_logins():
            self.stdout.write(f"  {email:<24} {who}")
