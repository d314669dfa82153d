from decimal import Decimal

from django import forms

from accounts.models import User
from accounts.roles import Role
from brokerage.models import Area
from core.forms import GovUKDateField, GovUKForm
from core.once import OneTimeForm

from .models import DailyCare, ReablementCase

DATE_HINT = "For example, 27 3 2027"
DAYS = DailyCare.Day.choices


class HospitalReferralForm(OneTimeForm, GovUKForm):
    """The hospital's pathway referral, for someone on the SPA worker's caseload or a person recorded now."""

    person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Person on your caseload",
        help_text="Leave empty to record a new person below.",
        empty_label="Record a new person",
    )
    first_name = forms.CharField(label="First name", required=False, max_length=100)
    last_name = forms.CharField(label="Last name", required=False, max_length=100)
    date_of_birth = GovUKDateField(label="Date of birth", required=False, help_text="For example, 31 3 1950")
    address_line_1 = forms.CharField(label="Address line 1", required=False, max_length=200)
    town = forms.CharField(label="Town or city", required=False, max_length=100)
    postcode = forms.CharField(label="Postcode", required=False, max_length=12, help_text="For example, E1 6AN")
    area = forms.ModelChoiceField(queryset=Area.objects.order_by("name"), required=False, label="Area")
    hospital = forms.CharField(max_length=200)
    ward = forms.CharField(max_length=100)
    referred_by_name = forms.CharField(label="Who referred", max_length=200, help_text="Their name and role.")
    expected_discharge = GovUKDateField(label="Expected discharge date", help_text=DATE_HINT)
    needs = forms.CharField(label="What is needed", widget=forms.Textarea(attrs={"rows": 4}))

    NEW_PERSON = ["first_name", "last_name", "date_of_birth", "address_line_1", "town", "postcode", "area"]

    def __init__(self, *args, caseload, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = caseload

    def clean(self):
        data = super().clean()
        if not data.get("person"):
            for name in self.NEW_PERSON:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Enter the {self.fields[name].label.lower()} of the person, or choose one")
        return data

    def new_person(self) -> dict | None:
        if self.cleaned_data.get("person"):
            return None
        return {name: self.cleaned_data[name] for name in self.NEW_PERSON}


class StepForm(OneTimeForm, GovUKForm):
    """A step taken by a button alone: only its one-time token, so a double click takes the step once."""


class NotAcceptForm(OneTimeForm, GovUKForm):
    reason = forms.CharField(label="Why is it not accepted?", widget=forms.Textarea(attrs={"rows": 3}))


class BreakdownForm(OneTimeForm, GovUKForm):
    """A breakdown by day: for each day, its hours and visits (both empty on a day without reablement)."""

    weekly_hours = forms.DecimalField(
        label="Hours a week", max_digits=5, decimal_places=2, min_value=Decimal("0.25"), max_value=84
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in DAYS:
            self.fields[f"hours_{value}"] = forms.DecimalField(
                label=f"{label}: hours", required=False, max_digits=4, decimal_places=2, min_value=0, max_value=12
            )
            self.fields[f"visits_{value}"] = forms.IntegerField(
                label=f"{label}: visits", required=False, min_value=0, max_value=6
            )

    def day_fields(self):
        return [(label, self[f"hours_{value}"], self[f"visits_{value}"]) for value, label in DAYS]

    def clean(self):
        data = super().clean()
        for value, label in DAYS:
            hours, visits = data.get(f"hours_{value}"), data.get(f"visits_{value}")
            if bool(hours) != bool(visits):
                self.add_error(f"hours_{value}", f"{label}: enter both the hours and the number of visits, or neither")
        return data

    def days(self) -> list[tuple[int, Decimal, int]]:
        data = self.cleaned_data
        return [
            (value, data[f"hours_{value}"], data[f"visits_{value}"])
            for value, _ in DAYS
            if data.get(f"hours_{value}") and data.get(f"visits_{value}")
        ]


class PlanForm(BreakdownForm):
    start_date = GovUKDateField(label="Start date", help_text=DATE_HINT)
    worker = forms.ModelChoiceField(
        queryset=None, label="Reablement worker", help_text="Told when a provider is found."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = User.objects.filter(groups__name=Role.SPA_WORKER, is_active=True).order_by(
            "last_name", "first_name", "id"
        )
        self.order_fields(["weekly_hours", "start_date", "worker"])


class ReassessmentForm(BreakdownForm):
    assessed_on = GovUKDateField(label="Date of the re-assessment", help_text=DATE_HINT)
    effective_date = GovUKDateField(label="Date the change takes effect", help_text=DATE_HINT)
    findings = forms.CharField(label="What the re-assessment found", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        label="Evidence the reduced service will be enough",
        required=False,
        help_text="Needed for a decrease: why fewer hours will still let the person reach their baseline independence.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekly_hours"].label = "New hours a week"
        self.order_fields(["assessed_on", "weekly_hours", "effective_date", "findings", "evidence"])


class TerminationForm(OneTimeForm, GovUKForm):
    reason = forms.ChoiceField(
        label="Why is reablement ending?", choices=ReablementCase.Ending.choices, widget=forms.RadioSelect
    )
    last_day = GovUKDateField(label="Last day of reablement", help_text=DATE_HINT)
    admitted_on = GovUKDateField(
        label="Date admitted to hospital", required=False, help_text="Only if the person is in hospital. " + DATE_HINT
    )
    discharge_expected = forms.BooleanField(
        label="The hospital expects to discharge them on a known date", required=False
    )
    note = forms.CharField(label="What the review found", required=False, widget=forms.Textarea(attrs={"rows": 3}))
