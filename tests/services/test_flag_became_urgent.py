"""A flag urgent otherwise than the clinician's page showed it is not acknowledged from it.

The bulk form ticks the cautions in advance and leaves urgent flags to be ticked by hand; the
single form sits under the flag's explanation. Either was read as a caution: if the patient's
next entry made the flag urgent meanwhile, an acknowledgement would close an urgent flag nobody
read as urgent, and stop its repeated notices. The page sends back what it showed of each
flag's urgency (when it became urgent, or not urgent), not a time to compare clocks with.
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from diary.flagging import FlagBecameUrgent, flag_acknowledge, flags_acknowledge
from diary.models import Flag
from tests.factories import FROZEN_NOW, days_ago, save_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def caution_then_urgent(patient):
    """Unwell yesterday (caution); a 37.6 °C fever (caution) that a 38.4 °C entry, saved after
    the page was shown, makes urgent."""
    save_entry(patient, day=days_ago(1), unwell=True)
    save_entry(patient, temperature_c=Decimal("37.6"))
    fever = Flag.objects.get(patient=patient, code="fever")
    assert (fever.severity, fever.urgent_at) == ("caution", None)
    save_entry(patient, temperature_c=Decimal("38.4"))
    fever.refresh_from_db()
    assert fever.severity == "urgent" and fever.urgent_at is not None
    unwell = Flag.objects.get(patient=patient, code="unwell")
    return fever, unwell


def test_one_flag_urgent_since_the_page_was_shown_is_not_acknowledged(
    caution_then_urgent, clinician
):
    fever, _ = caution_then_urgent
    with pytest.raises(FlagBecameUrgent):
        flag_acknowledge(flag=fever, by=clinician, action="called", shown={fever.pk: None})
    fever.refresh_from_db()
    assert (fever.status, fever.acknowledged_by, fever.action) == ("open", None, "")


def test_a_flag_already_urgent_when_the_page_was_shown_is_acknowledged(
    caution_then_urgent, clinician
):
    fever, _ = caution_then_urgent
    flag_acknowledge(flag=fever, by=clinician, action="called", shown={fever.pk: fever.urgent_at})
    fever.refresh_from_db()
    assert (fever.status, fever.acknowledged_by) == ("acknowledged", clinician)


def test_without_the_page_s_time_it_is_acknowledged_as_before(caution_then_urgent, clinician):
    fever, _ = caution_then_urgent
    flag_acknowledge(flag=fever, by=clinician, action="called")
    fever.refresh_from_db()
    assert fever.status == "acknowledged"


def test_in_one_step_the_flag_urgent_since_stays_open_and_the_others_are_acknowledged(
    caution_then_urgent, clinician
):
    fever, unwell = caution_then_urgent
    done = flags_acknowledge(
        flags=[fever, unwell],
        by=clinician,
        action="called",
        note="n",
        shown={fever.pk: None, unwell.pk: None},
    )
    assert [f.code for f in done.became_urgent] == ["fever"]
    assert [f.code for f in done.acknowledged] == ["unwell"]
    fever.refresh_from_db()
    unwell.refresh_from_db()
    assert (fever.status, unwell.status) == ("open", "acknowledged")


def test_urgent_again_since_it_was_shown_urgent_is_not_acknowledged(
    caution_then_urgent, clinician, patient, time_machine
):
    """Shown urgent; an edit made it a caution, a later entry urgent again: a new urgency."""
    fever, _ = caution_then_urgent
    shown = {fever.pk: fever.urgent_at}
    save_entry(patient, temperature_c=Decimal("37.6"))  # today's entry corrected: a caution
    fever.refresh_from_db()
    assert (fever.severity, fever.urgent_at) == ("caution", None)
    time_machine.move_to(FROZEN_NOW + timedelta(minutes=3), tick=False)
    save_entry(patient, temperature_c=Decimal("38.6"))
    with pytest.raises(FlagBecameUrgent):
        flag_acknowledge(flag=fever, by=clinician, action="called", shown=shown)


def test_urgent_when_shown_and_still_so_is_acknowledged_in_one_step(caution_then_urgent, clinician):
    fever, unwell = caution_then_urgent
    done = flags_acknowledge(
        flags=[fever, unwell],
        by=clinician,
        action="called",
        shown={fever.pk: fever.urgent_at, unwell.pk: None},
    )
    assert sorted(f.code for f in done.acknowledged) == ["fever", "unwell"]
    assert done.became_urgent == []
