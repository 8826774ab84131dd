from django.core.management.base import BaseCommand

from diary.alerts import urgent_alerts_pending, urgent_alerts_send
from diary.escalation import escalations_send


class Command(BaseCommand):
    help = (
        "E-mail the clinicians about urgent red flags nobody has been e-mailed about yet (the "
        "mail server was down when they were raised), and send the repeated notices of urgent "
        "flags nobody has acknowledged within the clinic's escalation time (diary/escalation.py)."
        " Idempotent; meant for cron every 5 minutes, e.g. "
        "'*/5 * * * * … manage.py send_urgent_alerts'."
    )

    def handle(self, *args, **options):
        pending = urgent_alerts_pending()
        sent = urgent_alerts_send(pending)
        repeated = escalations_send()
        self.stdout.write(f"Urgent days pending: {len(pending)}, e-mails sent: {sent}.")
        self.stdout.write(f"Repeated notices sent: {repeated}.")
