"""The dashboard search finds a patient by kana in any script and width, and by phone number
(issue 19): 「すずき」, 「スズキ」 and 「ｽｽﾞｷ」 alike; 090-1234-5678 and 09012345678 alike."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def suzuki(clinic, frozen_now):
    return make_patient(
        "suzuki@example.jp",
        clinic=clinic,
        name="鈴木 一郎",
        name_kana="スズキ\u3000イチロウ",
        patient_number="P-31",
        phone="090-1234-5678",
        phone2="+81 3-9999-0000",
        phone2_label="長女",
    )


@pytest.fixture
def others(clinic, other_clinic, frozen_now):
    make_patient("sato@example.jp", clinic=clinic, name="佐藤 花子", name_kana="サトウ\u3000ハナコ",
                 patient_number="P-32", phone="080-5555-1111")  # fmt: skip
    # The same kana and number at another clinic: never found from this one.
    make_patient("momiji@example.jp", clinic=other_clinic, name="鈴木 次郎",
                 name_kana="スズキ\u3000ジロウ", patient_number="M-1",
                 phone="090-1234-5678")  # fmt: skip


def found(client, query: str) -> list[str]:
    content = client.get("/clinic/?" + urlencode({"q": query, "filter": "all"})).content.decode()
    return [name for name in ("鈴木 一郎", "佐藤 花子", "鈴木 次郎") if name in content]


@pytest.mark.parametrize(
    "query", ["すずき", "スズキ", "ｽｽﾞｷ", "すずき いちろう", "ｽｽﾞｷｲﾁﾛｳ", "イチロウ", "鈴木"]
)
def test_kana_in_any_script_or_width_finds_the_patient(clinician_client, suzuki, others, query):
    assert found(clinician_client, query) == ["鈴木 一郎"]


@pytest.mark.parametrize(
    "query",
    [
        "090-1234-5678",
        "09012345678",
        "０９０－１２３４－５６７８",
        "1234-5678",
        "5678",
        "03-9999-0000",
    ],
)
def test_either_phone_number_finds_the_patient(clinician_client, suzuki, others, query):
    assert found(clinician_client, query) == ["鈴木 一郎"]


def test_the_name_and_the_patient_number_still_find_them(clinician_client, suzuki, others):
    assert found(clinician_client, "P-31") == ["鈴木 一郎"]
    assert found(clinician_client, "佐藤") == ["佐藤 花子"]


@pytest.mark.parametrize("query", ["たなか", "0000-0000", "ハナコスズキ"])
def test_what_nobody_has_finds_nobody(clinician_client, suzuki, others, query):
    assert found(clinician_client, query) == []


def test_the_row_shows_the_kana_under_the_name(clinician_client, suzuki):
    content = clinician_client.get("/clinic/?q=すずき").content.decode()
    assert '<div class="small name-kana" lang="ja">スズキ\u3000イチロウ</div>' in content


def test_renaming_the_patient_renames_the_search_key_too(clinician_client, suzuki):
    suzuki.name_kana = "タナカ\u3000イチロウ"
    suzuki.save(update_fields=["name_kana"])
    assert found(clinician_client, "たなか") == ["鈴木 一郎"]
    assert found(clinician_client, "すずきいちろう") == []


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["すずき", "090-1234"])
def test_a_kana_or_phone_search_costs_what_any_search_costs(
    clinician_client, clinic, suzuki, query
):
    clinician_client.get("/clinic/")  # the session's first request writes its start time
    small = _queries(clinician_client, "/clinic/?" + urlencode({"q": query}))
    for n in range(40):
        make_patient(f"s{n}@example.jp", clinic=clinic, name=f"鈴木 {n}", name_kana="スズキ",
                     phone=f"090-1234-{n:04d}")  # fmt: skip
    large = _queries(clinician_client, "/clinic/?" + urlencode({"q": query}))
    # The same as a name search that finds them (tests/test_perf_dashboard.py pins that one).
    assert large == small == _queries(clinician_client, "/clinic/?" + urlencode({"q": "鈴木"}))
