from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Clinic
from tests.factories import make_clinic

pytestmark = pytest.mark.django_db


def test_a_new_clinic_is_in_tokyo_with_the_default_fever_thresholds():
    clinic = make_clinic()
    assert clinic.time_zone == "Asia/Tokyo"
    assert str(clinic.tz) == "Asia/Tokyo"
    assert clinic.fever_caution_c == Decimal("37.5")
    assert clinic.fever_urgent_c == Decimal("38.0")


def test_the_database_refuses_an_urgent_threshold_below_the_caution_threshold():
    with (
        pytest.raises(IntegrityError, match="clinic_fever_urgent_not_below_caution"),
        transaction.atomic(),
    ):
        make_clinic(fever_caution_c=Decimal("38.5"), fever_urgent_c=Decimal("38.0"))
    assert not Clinic.objects.exists()


def test_equal_thresholds_are_allowed():
    clinic = make_clinic(fever_caution_c=Decimal("38.0"), fever_urgent_c=Decimal("38.0"))
    assert clinic.pk is not None


def test_clean_explains_the_threshold_order_next_to_the_urgent_threshold():
    clinic = Clinic(
        name="Clinic",
        phone="03-0000-0000",
        fever_caution_c=Decimal("38.5"),
        fever_urgent_c=Decimal("38.0"),
    )
    with pytest.raises(ValidationError) as caught:
        clinic.full_clean()
    assert "fever_urgent_c" in caught.value.message_dict


def test_an_unknown_time_zone_is_refused():
    clinic = Clinic(name="Clinic", phone="03-0000-0000", time_zone="Asia/Atlantis")
    with pytest.raises(ValidationError) as caught:
        clinic.full_clean()
    assert "time_zone" in caught.value.message_dict
