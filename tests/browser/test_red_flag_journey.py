"""The demo's patient2 logs 38.4 °C, sees the urgent answer; the clinician is e-mailed and acts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from accounts.models import User
from diary.demo import PASSWORD, demo_load
from diary.models import Flag
from tests.browser.people import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_urgent_fever_reaches_the_patient_and_the_clinician_who_acknowledges_it(
    live_server, new_page, assert_accessible
):
    demo_load()
    patient = User.objects.get(email="patient2@example.jp")
    clinic = patient.clinic
    clinic.after_hours_phone = "03-9999-0000"  # nights and holidays
    clinic.save(update_fields=["after_hours_phone"])
    mail.outbox.clear()

    page = new_page(locale="ja-JP")
    sign_in(page, live_server.url, patient.email, PASSWORD)
    page.goto(f"{live_server.url}/diary/entry/")
    for label in ("id_pain_6", "id_swelling_3", "id_warmth_2", "id_redness_1"):
        page.locator(f"label[for={label}]").click()
    page.locator("label[for=id_weight_bearing_1]").click()
    page.locator("#id_temperature_c").fill("38.4")
    page.locator("form.entry-form button[type=submit]").click()

    fever = page.locator("[data-flag=fever]")
    assert fever.get_attribute("data-severity") == "urgent"
    # The page leads with the call (issue 18); the box under it has the numbers.
    assert page.locator("h1").inner_text() == "すぐにクリニックへ電話してください"
    box = page.locator(".call-clinic")
    call = page.locator("a.tel-link").first
    assert call.inner_text() == "03-1234-5678"
    assert call.get_attribute("href") == "tel:0312345678"
    # When the clinic cannot be reached: its after-hours number, as a second link.
    after_hours = box.get_by_role("link", name="03-9999-0000")
    assert after_hours.get_attribute("href") == "tel:0399990000"
    assert "夜間・休日などでクリニックにつながらないときは" in box.inner_text()
    # #7119 when unsure, as a link that dials it; and when to call 119 at once.
    advice = box.get_by_role("link", name="#7119（救急安心センター）")
    assert advice.get_attribute("href") == "tel:%237119"
    reasons = box.locator("[data-advice='119'] li").all_inner_texts()
    assert reasons == [
        "意識がぼんやりしている、話がかみ合わない",
        "息が苦しい",
        "体がガタガタ震えるほどの寒気がある",
        "ぐったりして動けない",
    ]
    assert "すぐに119番で救急車を呼んでください" in box.inner_text()
    assert "今日中に" not in page.locator("main").inner_text()
    assert_accessible(page)

    # The clinician got an e-mail with a link and no health data.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["doctor@example.jp"]
    assert str(patient.public_id) in message.body
    assert "38.4" not in message.body and "発熱" not in message.body

    doctor = new_page(locale="ja-JP", viewport={"width": 1280, "height": 900})
    sign_in(doctor, live_server.url, "doctor@example.jp", PASSWORD)
    doctor.goto(f"{live_server.url}/clinic/patients/{patient.public_id}/")
    card = doctor.locator("[data-flag=fever][data-status=open]")
    card.locator("summary.flag-summary").click()  # the form is collapsed until used
    card.get_by_label("患者に電話した").check()
    card.locator("textarea[name=note]").fill("本日受診するよう伝えた")
    card.get_by_role("button", name="対応済みにする").click()
    doctor.locator("[data-flag=fever][data-status=acknowledged]").wait_for()

    flag = Flag.objects.get(patient=patient, code="fever")
    assert flag.status == Flag.Status.ACKNOWLEDGED
    assert flag.action == Flag.Action.CALLED
    assert flag.acknowledged_by.email == "doctor@example.jp"

    # The patient's home no longer lists the fever as open: it says the clinic has seen it.
    page.goto(f"{live_server.url}/diary/")
    fever = page.locator("[data-flag=fever]")
    assert fever.get_attribute("data-open") == "false"
    assert fever.locator("[data-fact=seen]").get_attribute("data-seen") == "yes"
    assert "クリニックが確認しました" in fever.inner_text()
