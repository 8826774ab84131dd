"""An urgent flag waits: the clinician sees how long on the dashboard, the repeated notice goes out
at 30 minutes (cron, with the clock moved), the patient page lists who was told, and the
"Response times" page shows the month's figures — in real Chromium, checked with axe-core."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from diary.demo import PASSWORD, demo_load
from diary.models import FlagNotice
from diary.services import entry_save
from tests.browser.people import sign_in
from tests.factories import ENTRY_VALUES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_urgent_flag_waits_is_sent_again_and_shows_on_the_quality_page(
    live_server, new_page, assert_accessible, time_machine, language
):
    demo_load()
    User.objects.filter(role__in=["clinician", "clinic_admin"]).update(language=language)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    patient = User.objects.get(email="patient@example.jp")  # no urgent flag in the demo
    entry_save(
        patient=patient,
        day=timezone.localdate(),
        values={**ENTRY_VALUES, "temperature_c": Decimal("38.6")},
        saved_by=patient,
    )
    mail.outbox.clear()
    time_machine.move_to(start + timedelta(minutes=30), tick=False)
    call_command("send_urgent_alerts", stdout=io.StringIO())
    # The demo's other urgent patients wait too; this one's notice went to the doctor and the
    # administrator, once each.
    sent = FlagNotice.objects.filter(flag__patient=patient, kind="escalation")
    assert sorted(sent.values_list("number", "address", "delivered")) == [
        (1, "admin@example.jp", True),
        (1, "doctor@example.jp", True),
    ]
    about = [m.to[0] for m in mail.outbox if str(patient.public_id) in m.body]
    assert sorted(about) == ["admin@example.jp", "doctor@example.jp"]
    time_machine.move_to(start + timedelta(minutes=45), tick=False)

    page = new_page(locale="ja-JP" if language == "ja" else "en-GB", viewport=DESKTOP)
    sign_in(page, live_server.url, "doctor@example.jp", PASSWORD)
    row = page.locator(f"tr.dashboard-row[data-patient='{patient.patient_number}']")
    assert row.locator(".urgent-waiting").inner_text() == (
        "未対応：45分" if language == "ja" else "waiting 45 min"
    )
    assert_accessible(page)

    row.locator("th a").first.click()
    card = page.locator(".flag-card[data-flag=fever]")
    assert card.locator(".urgent-waiting").inner_text() == (
        "未対応：45分" if language == "ja" else "waiting 45 min"
    )
    card.locator("summary.flag-summary").click()  # an open flag is one line until used
    card.locator("details.flag-notices summary").click()
    notices = card.locator("details.flag-notices li")
    assert notices.count() == FlagNotice.objects.filter(flag__patient=patient).count()
    texts = " ".join(notices.all_inner_texts())
    assert ("1回目の再通知" if language == "ja" else "repeated notice 1") in texts
    assert_accessible(page)

    page.get_by_role("link", name="対応の速さ" if language == "ja" else "Response times").click()
    heading = "警告サインへの対応の速さ" if language == "ja" else "How fast the clinic answers"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    month = f"{timezone.localdate():%Y/%m}"
    urgent_flags = page.locator(f"tr[data-month='{month}'] td[data-figure=urgent-flags]")
    assert int(urgent_flags.inner_text()) >= 1
    page.wait_for_function(  # the chart is drawn and shown (an SVG of the server's)
        "() => { const i = document.querySelector(\"img[src='/clinic/quality/chart.svg']\");"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert_accessible(page)
