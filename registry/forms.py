"""Forms of the register. They validate and lay out; choices of plans and injections come in
as lists from the view, so no form queries the database."""

from __future__ import annotations

from datetime import date

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diary.forms import InjectionForm
from registry.models import (
    PLAN_REQUIRED_AGENTS,
    AdverseEvent,
    Outcome,
    Relation,
    ReportedTo,
    Seriousness,
    TreatmentPlan,
)

DATE_INVALID = _("Enter a date such as 2026-11-26.")
NOT_IN_FUTURE = _("This date cannot be in the future.")


def _date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": DATE_INVALID},
    )


def _no_form_tag(form: forms.Form) -> None:
    form.helper = FormHelper()
    form.helper.form_tag = False


def _past(form: forms.Form, name: str) -> None:
    value = form.cleaned_data.get(name)
    if value is not None and value > form.today:
        form.add_error(name, NOT_IN_FUTURE)


class PlanForm(forms.ModelForm):
    class Meta:
        model = TreatmentPlan
        fields = ["number", "title", "agent", "risk_class", "accepted_on", "committee"]
        widgets = {"accepted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, clinic, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.clinic = clinic  # so that a number the clinic has used already is refused
        self.today = today
        self.fields["accepted_on"].input_formats = ["%Y-%m-%d"]
        self.fields["accepted_on"].error_messages["invalid"] = DATE_INVALID
        self.fields["accepted_on"].widget.attrs["max"] = today.isoformat()
        blank = [] if self.instance.pk else [("", pgettext_lazy("select", "Choose…"))]
        for name in ("agent", "risk_class"):
            self.fields[name].choices = blank + list(self.fields[name].choices)[1:]
        _no_form_tag(self)

    def clean(self):
        cleaned = super().clean()
        _past(self, "accepted_on")
        return cleaned


def _choice(label, choices, *, required=True, help_text=""):
    blank = [("", pgettext_lazy("select", "Choose…"))]
    return forms.TypedChoiceField(
        label=label,
        choices=blank + choices,
        coerce=int,
        empty_value=None,
        required=required,
        help_text=help_text,
        error_messages={"invalid_choice": _("Please choose one of the answers shown.")},
    )


class AdverseEventForm(forms.Form):
    onset_on = _date_field(_("Onset"))
    learned_on = _date_field(
        _("Date the clinic learned of it"),
        help_text=_("The reporting deadline counts from this day."),
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Signs and symptoms, diagnosis, treatment given, tests, where it was treated. The "
            "patient can read this, with the rest of the event and any earlier wording, in the "
            "copy of their data they can download."
        ),
    )
    seriousness = forms.ChoiceField(
        label=_("Seriousness"), choices=Seriousness.choices, widget=forms.RadioSelect
    )
    relation = forms.ChoiceField(
        label=_("Relation to the treatment"), choices=Relation.choices, widget=forms.RadioSelect
    )
    # No outcome preselected: a default nobody chose would be recorded as the outcome.
    outcome = forms.ChoiceField(
        label=pgettext_lazy("adverse event", "Outcome"),
        choices=[("", pgettext_lazy("select", "Choose…")), *Outcome.choices],
    )
    outcome_on = _date_field(_("Date of the outcome"), required=False)

    def __init__(self, *args, today: date, injections, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.injections = {i.pk: i for i in injections}
        self.plans = {p.pk: p for p in plans}
        self.fields["injection"] = _choice(
            _("Injection concerned"),
            [(i.pk, injection_label(i)) for i in injections],
            required=False,
        )
        self.fields["plan"] = _choice(
            _("Treatment plan"),
            [(p.pk, plan_label(p)) for p in plans],
            required=False,
            help_text=_("Taken from the injection when it was given under a plan."),
        )
        for name in ("onset_on", "learned_on", "outcome_on"):
            self.fields[name].widget.attrs["max"] = today.isoformat()
        _no_form_tag(self)

    def clean(self):
        cleaned = super().clean()
        for name in ("onset_on", "learned_on", "outcome_on"):
            _past(self, name)
        onset, learned = cleaned.get("onset_on"), cleaned.get("learned_on")
        if onset and learned and learned < onset:
            self.add_error(
                "learned_on", _("The clinic cannot have learned of it before the onset.")
            )
        if onset and cleaned.get("outcome_on") and cleaned["outcome_on"] < onset:
            self.add_error("outcome_on", _("The outcome cannot be before the onset."))
        injection = self.injections.get(cleaned.get("injection"))
        if injection is not None and onset and onset < injection.day:
            self.add_error("onset_on", _("The onset cannot be before the injection concerned."))
        return cleaned

    def event_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.base_fields}
        values["injection"] = self.injections.get(self.cleaned_data.get("injection"))
        values["plan"] = self.plans.get(self.cleaned_data.get("plan"))
        return values


def event_initial(event: AdverseEvent) -> dict:
    return {
        **{name: getattr(event, name) for name in AdverseEventForm.base_fields},
        "injection": event.injection_id,
        "plan": event.plan_id,
    }


class ReportedForm(forms.Form):
    reported_on = _date_field(_("Reported on"))
    reported_to = forms.ChoiceField(
        label=_("Reported to"), choices=ReportedTo.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, today: date, onset: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.onset = today, onset
        self.fields["reported_on"].widget.attrs["max"] = today.isoformat()
        _no_form_tag(self)

    def clean_reported_on(self):
        day = self.cleaned_data["reported_on"]
        if day > self.today:
            raise forms.ValidationError(NOT_IN_FUTURE)
        if day < self.onset:
            raise forms.ValidationError(_("The report cannot be before the onset."))
        return day


class OutcomesFilterForm(forms.Form):
    """The period (default: the last 12 months, see selectors.default_period) and grouping."""

    start = _date_field(_("Reviews from"), required=False)
    end = _date_field(_("Until"), required=False)
    group = forms.ChoiceField(
        label=_("Group by"),
        choices=[("agent", _("Agent")), ("joint", _("Joint"))],
        required=False,
    )

    def __init__(self, *args, today: date, default: tuple[date, date], **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.default = default

    def clean(self):
        cleaned = super().clean()
        if "start" in cleaned and cleaned["start"] is None:
            cleaned["start"] = self.default[0]
        if "end" in cleaned and cleaned["end"] is None:
            cleaned["end"] = self.default[1]
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end cannot be before the start."))
        if end and end > self.today:
            self.add_error("end", NOT_IN_FUTURE)
        if start and end and (end - start).days > 3 * 366:
            self.add_error("start", _("Choose a period of at most three years."))
        return cleaned


def injection_label(injection) -> str:
    site = _("%(joint)s (%(side)s)") % {
        "joint": injection.get_joint_display(),
        "side": injection.get_side_display(),
    }
    return f"{injection.day:%Y-%m-%d} {site} · {injection.get_agent_display()}"


def plan_label(plan: TreatmentPlan) -> str:
    return f"{plan.number} · {plan.title}"


class InjectionPlanForm(InjectionForm):
    """The diary's injection form with the treatment plan, asked for PRP and cell therapy when
    the clinic has plans (registry.hooks.injection_form)."""

    class Media:
        js = ["js/plan-field.js"]

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.plans = {p.pk: p for p in plans}
        self.fields["plan"] = _choice(
            _("Treatment plan"),
            [(p.pk, plan_label(p)) for p in plans],
            required=False,
            help_text=_(
                "Required for PRP and cell therapy: the regenerative treatment plan the injection "
                "is given under."
            ),
        )
        self.fields["plan"].widget.attrs["data-plan-agents"] = " ".join(
            sorted({p.agent for p in plans})
        )
        order = list(self.fields)
        order.remove("plan")
        order.insert(order.index("agent") + 1, "plan")
        self.order_fields(order)

    def clean(self):
        cleaned = super().clean()
        agent, day = cleaned.get("agent"), cleaned.get("day")
        plan = self.plans.get(cleaned.get("plan"))
        if not agent:
            return cleaned
        if plan is None:
            open_plans = [
                p
                for p in self.plans.values()
                if p.agent == agent and (not day or p.accepted_on <= day)
            ]
            if agent in PLAN_REQUIRED_AGENTS and open_plans:
                self.add_error(
                    "plan", _("Choose the treatment plan this injection is given under.")
                )
            return cleaned
        if plan.agent != agent:
            self.add_error(
                "plan",
                _("This plan is for %(plan)s, not for the agent chosen.")
                % {"plan": plan.get_agent_display()},
            )
        elif day and day < plan.accepted_on:
            self.add_error(
                "plan",
                _("This plan was accepted on %(day)s, after the injection.")
                % {"day": plan.accepted_on.isoformat()},
            )
        return cleaned

    def chosen_plan(self) -> TreatmentPlan | None:
        return self.plans.get(self.cleaned_data.get("plan"))
