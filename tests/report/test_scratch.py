from datetime import timedelta
from decimal import Decimal
import io
import pytest
from pypdf import PdfReader
from diary.models import Flag
from tests.factories import *

pytestmark = pytest.mark.django_db

def test_scratch(clinic, clinician, clinician_client):
    clinic.name = "さくら整形外科"; clinic.save()
    p = make_patient("h@example.jp", clinic=clinic, name="佐藤 花子", patient_number="P-9")
    inj = make_injection(p, day=days_ago(35), course_number=1, course_total=3, given_by="山田")
    make_entries(p, first=days_ago(42), count=7, pain=8)
    make_entries(p, first=days_ago(35), count=36, pain=2, night_pain=2, notes="少し痛い")
    g = make_goal(p, injection=inj, kind="ability")
    rate_goal(g, day=days_ago(8), value=8)
    make_goal(p, injection=inj, kind="symptom")
    Flag.objects.create(patient=p, code="fever", severity="urgent", first_day=days_ago(30), last_day=days_ago(29), status="acknowledged", acknowledged_by=clinician, acknowledged_at=FROZEN_NOW, action="called", note="CRP 正常")
    r = clinician_client.get(f"/clinic/patients/{p.public_id}/report/")
    open("/tmp/report.html","wb").write(r.content)
    r = clinician_client.get(f"/clinic/patients/{p.public_id}/report.pdf")
    open("/tmp/report.pdf","wb").write(r.content)
    print(r.headers)
