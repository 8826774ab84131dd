from django.core.management.base import BaseCommand

from diary.alerts import flag_digest_send


class Command(BaseCommand):
    help = (
        "E-mail each clinician the patients with new open caution flags since the last digest. "
        "The flags are claimed before any e-mail goes out, so several servers may run it at "
        "once. Meant for cron once a day, e.g. '0 8 * * * … manage.py send_flag_digest'."
    )

    def handle(self, *args, **options):
        sent = flag_digest_send()
        self.stdout.write(f"Digest e-mails sent: {sent}.")
