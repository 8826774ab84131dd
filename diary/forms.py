"""Forms validate input and lay it out (crispy-forms); they never query the database."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import AccessLog, User
from diary.flag_text import ARM, JOINT, LEG
from diary.models import (
    INJECTION_FIELDS,
    SWELLING_CHOICES,
    TEMPERATURE_MAX_C,
    TEMPERATURE_MIN_C,
    WARMTH_CHOICES,
    Agent,
    Flag,
    Goal,
    GoalKind,
    Injection,
    Joint,
    Redness,
    Side,
    WeightBearing,
)

SCORE_CHOICES = [(n, str(n)) for n in range(11)]
CHOICE_TEMPLATE = "diary/fields/choice_group.html"
# A reading in this range is almost certainly a Fahrenheit thermometer (93.2 °F = 34 °C).
FAHRENHEIT_RANGE = (Decimal("93.0"), Decimal("108.5"))


def _normalise_number(value) -> str:
    """Accept full-width digits (３７．５) and a decimal comma, which Japanese keyboards produce."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text.replace(",", ".").replace("。", ".")


class TemperatureField(forms.Field):
    """Body temperature in °C with one decimal; a °F reading gets its own message."""

    default_error_messages = {
        "invalid": _("Enter the temperature as a number, for example 36.8."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = _normalise_number(value)
        if text in self.empty_values:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        low, high = FAHRENHEIT_RANGE
        if low <= value <= high:
            celsius = ((value - 32) * 5 / 9).quantize(Decimal("0.1"), ROUND_HALF_UP)
            raise forms.ValidationError(
                _(
                    "%(value)s looks like °F (about %(celsius)s °C). "
                    "Please enter the temperature in °C."
                ),
                code="fahrenheit",
                params={"value": value, "celsius": celsius},
            )
        if not TEMPERATURE_MIN_C <= value <= TEMPERATURE_MAX_C:
            raise forms.ValidationError(
                _("A body temperature must be between %(low)s and %(high)s °C."),
                code="range",
                params={"low": TEMPERATURE_MIN_C, "high": TEMPERATURE_MAX_C},
            )
        if value != value.quantize(Decimal("0.1")):
            raise forms.ValidationError(
                _("Enter the temperature with at most one decimal, for example 37.5."),
                code="decimals",
            )

    def clean(self, value):
        value = super().clean(value)
        # "36.80" is 36.8: hand on one decimal, as the model field stores (3 digits, 1 decimal).
        return None if value is None else value.quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Scale:
    """The words at the two ends of a 0–10 scale, shown on the row itself, and its direction.

    Scales of both directions are asked: pain and the joint overall (10 is the worst) beside the
    goals (PSFS: 10 is as well as before), so every row says which end is which.
    """

    low: Promise  # the words for 0
    high: Promise  # the words for 10
    higher_is_better: bool


PAIN_SCALE = Scale(_("No pain"), _("Worst pain you can imagine"), higher_is_better=False)
PAIN_HELP = _("0 = no pain, 10 = the worst pain you can imagine")
ABILITY_SCALE = Scale(_("Cannot do it"), _("As well as before the problem"), higher_is_better=True)
OVERALL_SCALE = Scale(_("Very good"), _("Very bad"), higher_is_better=False)


def _score_field(label, *, required=True, choices=SCORE_CHOICES, help_text="", scale=None):
    blank = [] if required else [("", _("Not recorded"))]
    field = forms.TypedChoiceField(
        label=label,
        choices=blank + list(choices),
        coerce=int,
        empty_value=None,
        required=required,
        help_text=help_text,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={
            "required": _("Please choose one of the answers."),
            "invalid_choice": _("Please choose one of the answers shown."),
        },
    )
    field.scale = scale  # read by the choice_group template
    return field


def _category_field(label, choices):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={
            "required": _("Please choose one of the answers."),
            "invalid_choice": _("Please choose one of the answers shown."),
        },
    )


# Using the arm or another joint, not bearing weight: the same three stored answers.
_USE_ANSWERS = [
    (WeightBearing.FULL, pgettext_lazy("using the arm or the joint", "Yes, normally")),
    (WeightBearing.PAINFUL, pgettext_lazy("using the arm or the joint", "Yes, but it hurts")),
    (WeightBearing.CANNOT, pgettext_lazy("using the arm or the joint", "No, I cannot")),
]


@dataclass(frozen=True)
class WeightBearingWords:
    """How the weight-bearing question reads for the injected limb (SPEC §3, the patient reads)."""

    question: Promise
    help_text: Promise | str
    answers: list
    summary: Promise  # the short label beside the answer on the confirmation page
    question_that_day: Promise  # the question for an earlier day

    def answer(self, value: str):
        return dict(self.answers).get(value, value)


WEIGHT_BEARING_WORDS = {
    LEG: WeightBearingWords(
        _("Can you put your weight on the leg?"),
        "",
        WeightBearing.choices,
        _("Putting weight on the leg"),
        _("Could you put your weight on the leg that day?"),
    ),
    ARM: WeightBearingWords(
        _("Can you use the arm on the injected side as usual?"),
        _("For example: getting dressed, lifting a cup."),
        _USE_ANSWERS,
        _("Using the arm"),
        _("Could you use the arm on the injected side as usual that day?"),
    ),
    JOINT: WeightBearingWords(
        _("Can you use the injected joint as usual?"),
        "",
        _USE_ANSWERS,
        _("Using the joint"),
        _("Could you use the injected joint as usual that day?"),
    ),
}


def diary_day_check(day: date, *, today: date, earliest: date | None) -> date:
    """A day the patient may fill in: not in the future, not before the diary starts."""
    if day > today:
        raise forms.ValidationError(
            _("You cannot fill in a day in the future. Today is %(today)s."),
            code="future",
            params={"today": today.isoformat()},
        )
    if earliest is not None and day < earliest:
        raise forms.ValidationError(
            _("The diary starts on %(earliest)s. Please choose that day or a later one."),
            code="too_early",
            params={"earliest": earliest.isoformat()},
        )
    return day


DAY_INVALID_MESSAGE = _("Enter a date such as 2026-11-26.")


MAX_ANSWERS_REVISION = 2**31 - 1  # the column's range on every database


class SendingField(forms.Field):
    """A hidden input about the sending, not an answer: any text, never an error (a broken
    value only turns its check off), so a patient never meets a message about it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> str:
        return value.strip() if isinstance(value, str) else ""


class DiaryEntryForm(forms.Form):
    """The daily entry. Field names are those of SPEC §2 and of the DiaryEntry model.

    `day` (the day shown) words the questions for an earlier day without "today"; `limb` words
    the weight-bearing question for the injected joint (leg, arm or another joint).
    """

    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DAY_INVALID_MESSAGE},
    )
    pain = _score_field(_("Worst pain in the joint today"), help_text=PAIN_HELP, scale=PAIN_SCALE)
    swelling = _score_field(_("Swelling"), choices=SWELLING_CHOICES)
    warmth = _score_field(
        _("Joint warmth: does the injected joint feel warm when you touch it?"),
        choices=WARMTH_CHOICES,
    )
    redness = _category_field(_("Redness of the skin around the joint"), Redness.choices)
    weight_bearing = _category_field(WEIGHT_BEARING_WORDS[LEG].question, WeightBearing.choices)
    temperature_c = TemperatureField(
        label=_("Body temperature (°C)"),
        required=False,
        help_text=_("Only if you measured it today."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    feverish = forms.BooleanField(label=_("I feel feverish or have chills"), required=False)
    unwell = forms.BooleanField(
        label=_("I feel generally unwell (exhausted, no appetite)"), required=False
    )
    night_pain = _score_field(
        _("Pain at night"), required=False, help_text=PAIN_HELP, scale=PAIN_SCALE
    )
    exercise_minutes = forms.IntegerField(
        label=_("Exercise therapy today (minutes)"),
        required=False,
        min_value=0,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    painkiller = forms.BooleanField(label=_("I took a painkiller"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        help_text=_(
            "For example: since when, how much, whether the joint feels warm. Anything you want "
            "your clinic to know."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Hidden inputs for a form that may be sent more than once (issue 20): the key of this
    # sending (the server renders a fresh one; the phone's script may put its own when it
    # keeps the entry offline), the stored entry's version when the form was loaded, and the
    # phone's count of the answers it kept under the key (only the script sends it).
    # None is ever an error: a missing or broken one only turns its check off.
    submission_id = SendingField()
    loaded_version = SendingField()
    # The phone's count of the answers kept under this key (diary.models.EntrySubmission).
    answers_revision = SendingField()

    def __init__(
        self,
        *args,
        today: date,
        earliest: date | None = None,
        day: date | None = None,
        limb: str = LEG,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.today = today
        # The first day the patient may fill in (selectors.earliest_entry_day); None: no limit.
        self.earliest = earliest
        self.fields["day"].widget.attrs["max"] = today.isoformat()
        if earliest is not None:
            self.fields["day"].widget.attrs["min"] = earliest.isoformat()
        self._word_questions(day=day, limb=limb)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # No day on the form: it is the day in the page's address, chosen from the history or
        # on a page of its own (an editable date at the top of today's form invited accidents).
        self.helper.layout = Layout(
            Field("pain", template=CHOICE_TEMPLATE, wrapper_class="choice-score"),
            Field("swelling", template=CHOICE_TEMPLATE),
            Field("warmth", template=CHOICE_TEMPLATE),
            Field("redness", template=CHOICE_TEMPLATE),
            Field("weight_bearing", template=CHOICE_TEMPLATE),
            "temperature_c",
            "feverish",
            "unwell",
            Field("night_pain", template=CHOICE_TEMPLATE, wrapper_class="choice-score"),
            "exercise_minutes",
            "painkiller",
            "notes",
            "submission_id",
            "loaded_version",
            "answers_revision",
        )

    def _word_questions(self, *, day: date | None, limb: str) -> None:
        """Word the questions for the day shown and the injected limb; the answers stay the same.

        An earlier day is not called "today"; a shoulder or another joint is asked about using
        the arm or the joint instead of bearing weight on the leg.
        """
        earlier = day is not None and day != self.today
        self.fields["pain"].label = (
            _("Worst pain in the joint that day") if earlier else _("Worst pain in the joint today")
        )
        self.fields["temperature_c"].help_text = (
            _("Only if you measured it that day.")
            if earlier
            else _("Only if you measured it today.")
        )
        self.fields["exercise_minutes"].label = (
            _("Exercise therapy that day (minutes)")
            if earlier
            else _("Exercise therapy today (minutes)")
        )
        if earlier:
            self.fields["warmth"].label = _(
                "Joint warmth: did the injected joint feel warm that day when you touched it?"
            )
            self.fields["feverish"].label = _("That day I felt feverish or had chills")
            self.fields["unwell"].label = _(
                "That day I felt generally unwell (exhausted, no appetite)"
            )
            self.fields["painkiller"].label = _("That day I took a painkiller")
        words = WEIGHT_BEARING_WORDS[limb]
        weight_bearing = self.fields["weight_bearing"]
        weight_bearing.label = words.question_that_day if earlier else words.question
        weight_bearing.help_text = words.help_text
        weight_bearing.choices = words.answers

    def clean_day(self):
        return diary_day_check(self.cleaned_data["day"], today=self.today, earliest=self.earliest)

    def entry_values(self) -> dict:
        """The cleaned values to store, without the day and the sending fields."""
        return {name: value for name, value in self.cleaned_data.items() if name not in NOT_ANSWERS}

    def submission_key(self) -> uuid.UUID | None:
        """The key of this sending, or None when the form had none or a broken one."""
        try:
            return uuid.UUID(self.cleaned_data.get("submission_id") or "")
        except ValueError:
            return None

    def loaded_version_sent(self) -> str | None:
        """The version the form was loaded with ("" for a day without an entry); None when
        the form had no such input (a page loaded before it existed)."""
        if "loaded_version" not in self.data:
            return None
        return self.cleaned_data.get("loaded_version", "")

    def answers_revision_sent(self) -> int | None:
        """Which answers under the key these are (1, 2, …), or None when the form did not say
        or said something that is no such number."""
        text = self.cleaned_data.get("answers_revision") or ""
        if not (text.isascii() and text.isdigit() and len(text) <= 10):
            return None
        if not 0 < int(text) <= MAX_ANSWERS_REVISION:
            return None
        return int(text)


NOT_ANSWERS = ("day", "submission_id", "loaded_version", "answers_revision")


BASELINE_PAIN_RANGE_MESSAGE = _(
    "Enter the pain before the injection as a whole number from 0 to 10, or leave it empty."
)


class InjectionForm(forms.ModelForm):
    # Worst pain before the course, asked by the clinician: the course's baseline when the
    # diary has too few days before its first injection (SPEC §4).
    baseline_pain = forms.IntegerField(
        label=_("Pain before the injection (0–10)"),
        required=False,
        min_value=0,
        max_value=10,
        help_text=_(
            "Optional. Ask at the first injection of a course: the patient's usual worst pain in "
            "the joint over the past week, 0 = no pain, 10 = the worst pain imaginable. It is the "
            "course's baseline only when the diary has fewer than 3 entries in the 7 days before "
            "that first injection."
        ),
        widget=forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1, "inputmode": "numeric"}),
        error_messages={
            "invalid": BASELINE_PAIN_RANGE_MESSAGE,
            "min_value": BASELINE_PAIN_RANGE_MESSAGE,
            "max_value": BASELINE_PAIN_RANGE_MESSAGE,
        },
    )

    class Meta:
        model = Injection
        fields = list(INJECTION_FIELDS)
        widgets = {
            "day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["day"].widget.attrs["max"] = today.isoformat()
        # A new injection has no preselected joint, side or medicine: a default that is wrong
        # for this patient would be recorded by a tired click (a wrong-side record).
        blank = [] if self.instance.pk else [("", pgettext_lazy("select", "Choose…"))]
        self.fields["joint"].choices = blank + Joint.choices
        self.fields["side"].choices = blank + Side.choices
        self.fields["agent"].choices = blank + Agent.choices
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("day", today)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > self.today:
            raise forms.ValidationError(
                _("Record an injection once it has been given; the date cannot be in the future."),
                code="future",
            )
        return day


SHOWN_URGENT = "shown_urgent_at_{}"  # a hidden input per flag: its urgency as the page showed it


class FlagAcknowledgeForm(forms.Form):
    """The action taken and a note. With them, for each flag, a hidden input says when the page
    showed it had become urgent, empty when it was not urgent (`SHOWN_URGENT`): a flag urgent
    otherwise now is not acknowledged from it (diary.flagging.flag_acknowledge)."""

    action = forms.ChoiceField(
        label=_("Action taken"),
        choices=Flag.Action.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the action you took.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def shown_urgency(self, flags) -> dict[int, datetime | None]:
        """For each of `flags` whose input was sent: when the page showed it had become urgent,
        or None when it was not urgent. A page from before, or a broken value: not in it."""
        shown: dict[int, datetime | None] = {}
        for flag in flags:
            name = SHOWN_URGENT.format(flag.pk)
            if name not in self.data:
                continue
            text = self.data[name].strip()
            if not text:
                shown[flag.pk] = None
                continue
            try:
                value = datetime.fromisoformat(text)
            except ValueError:
                continue
            if timezone.is_aware(value):
                shown[flag.pk] = value
        return shown


NOT_THIS_PATIENTS = _("A chosen flag is not one of this patient's. Nothing was recorded.")


class FlagsAcknowledgeForm(FlagAcknowledgeForm):
    """Several flags of one patient, one action and one note (the single form's fields).

    `flags` is every flag of the patient (passed in by the view): one of another patient is an
    invalid choice; whether a chosen flag is still open is for the service to say, under its lock.
    """

    flags = forms.ModelMultipleChoiceField(
        label=_("Flags to acknowledge"),
        queryset=Flag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one flag."),
            "invalid_choice": NOT_THIS_PATIENTS,
            "invalid_pk_value": NOT_THIS_PATIENTS,
        },
    )

    field_order = ["flags", "action", "note"]

    def __init__(self, *args, flags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flags"].queryset = flags


class RatingsForm(forms.Form):
    """This week's ratings: each due ability goal (PSFS) and the joint overall."""

    def __init__(self, *args, goals, ask_overall: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = _score_field(
                goal.title,
                help_text=_("0 = I cannot do it, 10 = as well as before the problem"),
                scale=ABILITY_SCALE,
            )
        if ask_overall:
            self.fields["overall"] = _score_field(
                _("How is your joint overall?"),
                help_text=_("0 = very good, 10 = very bad"),
                scale=OVERALL_SCALE,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[
                Field(name, template=CHOICE_TEMPLATE, wrapper_class="choice-score")
                for name in self.fields
            ]
        )

    def goal_values(self) -> dict:
        return {goal: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}

    def overall_value(self):
        return self.cleaned_data.get("overall")


class EarlierDayForm(forms.Form):
    """The patient picks a day to fill in or correct, on a page of its own."""

    day = forms.DateField(
        label=_("Which day?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": DAY_INVALID_MESSAGE,
            "required": _("Please choose a day."),
        },
    )

    def __init__(self, *args, today: date, earliest: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.earliest = today, earliest
        self.fields["day"].widget.attrs.update(
            max=today.isoformat(), min=earliest.isoformat(), **{"class": "form-control"}
        )

    def clean_day(self):
        return diary_day_check(self.cleaned_data["day"], today=self.today, earliest=self.earliest)


class TextSizeForm(forms.Form):
    """Normal, large or extra large type on the patient's pages."""

    text_size = forms.ChoiceField(
        choices=User._meta.get_field("text_size").choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={
            "required": _("Please choose a text size."),
            "invalid_choice": _("Please choose one of the text sizes shown."),
        },
    )


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["injection", "kind", "title", "measure", "baseline", "target", "review_date"]
        widgets = {
            "kind": forms.RadioSelect,
            "review_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "baseline": forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": 10}),
            "target": forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": 10}),
        }
        help_texts = {
            "measure": _("Symptom goals only."),
            "baseline": _("Ability: today's rating 0–10. Symptom: the current 7-day mean."),
            "target": _("Ability: the rating to reach. Symptom: at most this 7-day mean."),
        }

    # The hints for one kind, which static/js/goal-kind.js shows instead of the hint for both.
    KIND_HINTS = {
        "baseline": {
            GoalKind.ABILITY: _("Today's rating, 0–10."),
            GoalKind.SYMPTOM: _("The current 7-day mean of the diary measure."),
        },
        "target": {
            GoalKind.ABILITY: _("The rating to reach, above the baseline."),
            GoalKind.SYMPTOM: _("At most this 7-day mean, below the baseline."),
        },
    }

    def __init__(self, *args, injections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["injection"].queryset = injections
        self.fields["injection"].required = False
        self.fields["measure"].required = False
        self.fields["kind"].choices = GoalKind.choices  # two radios, no empty "---------"
        for name, hints in self.KIND_HINTS.items():
            for kind, hint in hints.items():
                self.fields[name].widget.attrs[f"data-hint-{kind}"] = hint
        self.helper = FormHelper()
        self.helper.form_tag = False


class AccessLogFilterForm(forms.Form):
    who = forms.CharField(label=_("Who (name or e-mail)"), required=False, max_length=100)
    patient = forms.CharField(label=_("Patient (name or number)"), required=False, max_length=100)
    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything"))] + AccessLog.Action.choices
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
