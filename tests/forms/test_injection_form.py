from datetime import timedelta

import pytest
from django.utils import translation

from diary.forms import InjectionForm
from tests.factories import TODAY, injection_form_data

pytestmark = pytest.mark.django_db


def form(**overrides) -> InjectionForm:
    return InjectionForm(injection_form_data(**overrides), today=TODAY)


def test_a_complete_injection_is_valid():
    bound = form(course_number="2", course_total="5", time="09:30")
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["agent"] == "corticosteroid"
    assert bound.cleaned_data["course_total"] == 5


def test_an_injection_cannot_be_recorded_for_a_future_day():
    bound = form(day=TODAY + timedelta(days=1))
    assert bound.has_error("day", "future")
    with translation.override("en"):
        assert "future" in str(bound.errors["day"][0])


def test_the_number_in_the_course_cannot_exceed_the_course_length():
    bound = form(course_number="3", course_total="2")
    assert not bound.is_valid()
    assert list(bound.errors) == ["course_number"]
    with translation.override("en"):
        assert "cannot exceed" in str(bound.errors["course_number"][0])


def test_the_number_in_the_course_starts_at_one():
    assert form(course_number="0").has_error("course_number", "min_value")


@pytest.mark.parametrize(("field", "value"), [("joint", "elbow"), ("side", "up"), ("agent", "x")])
def test_unknown_choices_are_refused(field, value):
    assert form(**{field: value}).has_error(field, "invalid_choice")
