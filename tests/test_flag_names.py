"""Each flag code has one name for the clinician, the same everywhere: the dashboard, the patient
page, the call list, the visit report, the registry's tables and summaries, the FHIR export and
the admin (`FlagCode`'s labels) all read `diary.flag_text.NAMES`. The patient's own pages keep
the advice titles (`FlagText.title`), worded for the severity and the limb; a clinician's page
shows none of those where they differ from the name."""

from __future__ import annotations

import html

import pytest
from django.utils import translation

from diary import red_flags
from diary.calls import ReasonLine
from diary.flag_text import LIMB_TEXTS, NAMES, TEXTS, flag_name
from diary.models import CallReason, FlagCode
from registry.summary import _flag_row
from tests.factories import days_ago, make_flag, make_injection, make_patient
from tests.test_flag_text import SPEC_PAIRS

pytestmark = pytest.mark.django_db


def in_language(language: str, text) -> str:
    with translation.override(language):
        return str(text)


def alternatives(code: str, language: str) -> set[str]:
    """The other wordings of this code (the patient's titles) that are not its name."""
    name = in_language(language, NAMES[code])
    titles = [t.title for (c, _s), t in TEXTS.items() if c == code]
    titles += [title for (c, _s, _limb), (title, _p) in LIMB_TEXTS.items() if c == code]
    return {in_language(language, t) for t in titles} - {name}


def test_there_is_one_name_for_every_code_and_the_model_uses_it():
    assert set(NAMES) == set(red_flags.ALL_CODES) == set(FlagCode.values)
    for language in ("en", "ja"):
        for code in FlagCode.values:
            assert in_language(language, FlagCode(code).label) == flag_name_in(language, code)
        names = [flag_name_in(language, code) for code in NAMES]
        assert len(set(names)) == len(names), language  # two findings never read the same
    assert in_language("ja", NAMES["fever"]) == "発熱"


def flag_name_in(language: str, code: str) -> str:
    with translation.override(language):
        return flag_name(code)


@pytest.fixture
def one_of_each(clinic, clinic_admin):
    """One patient per (code, severity) pair the rules produce, each with that open flag."""
    made = {}
    for number, (code, severity) in enumerate(sorted(SPEC_PAIRS)):
        someone = make_patient(
            f"p{number}@example.jp", clinic=clinic, name=f"P {number}", patient_number=f"F-{number}"
        )
        make_injection(someone, day=days_ago(5), joint="shoulder" if number % 2 else "knee")
        make_flag(someone, code=code, severity=severity, first_day=days_ago(1))
        made[code, severity] = someone
    return made


def _text(content: bytes) -> str:
    return html.unescape(content.decode())


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_dashboard_names_every_flag_by_its_name(
    clinician, clinician_client, one_of_each, language
):
    clinician.language = language
    clinician.save(update_fields=["language"])
    page = _text(clinician_client.get("/clinic/", {"filter": "all"}).content)
    for code in NAMES:
        assert flag_name_in(language, code) in page, code
        for other in alternatives(code, language):
            assert other not in page, (code, other)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_patient_page_and_the_report_name_the_flag_by_its_name(
    clinician, clinician_client, one_of_each, language
):
    clinician.language = language
    clinician.save(update_fields=["language"])
    for (code, _severity), someone in one_of_each.items():
        name = flag_name_in(language, code)
        for url in (
            f"/clinic/patients/{someone.public_id}/",
            f"/clinic/patients/{someone.public_id}/report/",
        ):
            page = _text(clinician_client.get(url).content)
            assert name in page, (code, url)
            for other in alternatives(code, language):
                assert other not in page, (code, url, other)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_call_list_names_the_flags_by_their_names(
    clinician, clinician_client, one_of_each, language
):
    clinician.language = language
    clinician.save(update_fields=["language"])
    page = _text(clinician_client.get("/clinic/calls/").content)
    for code, severity in SPEC_PAIRS:
        if severity == "info":
            continue  # not logging is a reason of its own; an expected reaction is no call
        assert flag_name_in(language, code) in page, code
        for other in alternatives(code, language):
            assert other not in page, (code, other)


def test_the_call_list_line_and_the_registry_summary_read_the_mapping(one_of_each):
    with translation.override("ja"):
        line = ReasonLine(CallReason.CAUTION, codes=["fever", "not_easing"])
        assert line.code_labels.startswith("発熱") and line.code_labels.endswith("改善しない")
        for (code, _severity), someone in one_of_each.items():
            flag = someone.flags.get()

            class Event:  # what `_flag_row` reads of an adverse event
                pass

            event = Event()
            event.flag = flag
            ((_label, value),) = _flag_row(event)
            assert value.startswith(f"{flag_name(code)} ("), code
