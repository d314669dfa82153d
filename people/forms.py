import re

from django import forms

from accounts.models import User
from accounts.roles import PRACTITIONERS
from catalogue.codes import ServiceCode
from catalogue.models import ServiceType
from catalogue.selectors import offered_service_types
from core.forms import GovUKDateField, GovUKDateInput, GovUKForm, GovUKModelForm
from core.once import OneTimeForm

from .models import CareAndSupportPlan, NeedsAssessment, Person, ProvisionKind, Specialism
from .validators import normalise_nhs_number, normalise_postcode, validate_nhs_number, validate_postcode


class PersonForm(OneTimeForm, GovUKModelForm):
    # Wider than the stored 10 digits, so "485 777 3456" can be typed with its spaces.
    nhs_number = forms.CharField(
        label="NHS number", max_length=14, required=False, help_text="10 digits, like 485 777 3456"
    )

    postcode = forms.CharField(max_length=12, help_text="For example, E1 6AN")

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "nhs_number",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "phone",
            "area",
            "representative_name",
            "representative_relationship",
            "representative_phone",
            "allocated_worker",
        ]
        field_classes = {"date_of_birth": GovUKDateField}
        widgets = {"date_of_birth": GovUKDateInput(autocomplete="bday")}
        help_texts = {
            "date_of_birth": "For example, 31 3 1950",
            "nhs_number": "10 digits, like 485 777 3456",
            "area": "Decides which Brokerage team, East or West, works with this person.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocated_worker"].queryset = User.objects.filter(
            groups__name__in=list(PRACTITIONERS), is_active=True
        ).distinct()
        self.fields["allocated_worker"].label = "Allocated practitioner"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        validate_postcode(postcode)
        return postcode

    def clean_nhs_number(self):
        number = normalise_nhs_number(self.cleaned_data["nhs_number"])
        if number:
            validate_nhs_number(number)
            # Said here, by the field: the database's own refusal would name its constraint. Telling the user
            # the number is already recorded says no more than the number they typed.
            if Person.objects.filter(nhs_number=number).exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(
                    "Someone with this NHS number is already recorded: search for them in People, or check the number",
                    code="nhs_number_taken",
                )
        return number


class NeedsAssessmentForm(OneTimeForm, GovUKModelForm):
    class Meta:
        model = NeedsAssessment
        fields = ["assessed_on", "presenting_needs", "eligible_needs", "specific_or_complex_needs"]
        field_classes = {"assessed_on": GovUKDateField}
        labels = {"assessed_on": "Date of assessment"}
        help_texts = {"assessed_on": "For example, 3 11 2026"}


class PlanForm(GovUKModelForm):
    required_specialisms = forms.MultipleChoiceField(
        label="Skills the provider needs",
        choices=Specialism.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Used to shortlist providers with these skills.",
    )
    visit_schedule_text = forms.CharField(
        label="Visit schedule",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One visit a line: day, time, minutes, carers. For example: Monday, 08:00, 45, 2",
    )
    # Each visit keeps its own flag (packages.VisitSlot.on_bank_holidays); the schedule is typed, so one box says it
    # for all of them.
    visits_on_bank_holidays = forms.BooleanField(
        label="Also on bank holidays",
        required=False,
        initial=True,
        help_text="Untick if the visits are not made on bank holidays.",
    )

    class Meta:
        model = CareAndSupportPlan
        fields = [
            "assessment",
            "service_type",
            "weekly_hours",
            "outcomes",
            "specific_or_complex_needs",
            "required_specialisms",
            "preferred_language",
            "preferred_locations",
            "places_to_avoid",
            "provision_kind",
            "one_to_one_hours",
        ]
        help_texts = {
            "weekly_hours": "Hours of support a week, if the service is counted in hours.",
            "provision_kind": "Supported living only.",
            "one_to_one_hours": "Supported living only: hours of 1:1 support a week, on top of the shared support.",
            "places_to_avoid": "For supported living, any areas to avoid, for example because of past history.",
        }

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        # What is offered now, and a plan's own service even if it has stopped being offered since.
        offered = offered_service_types()
        if self.instance.service_type_id:
            offered |= ServiceType.objects.filter(code=self.instance.service_type_id)
        self.fields["service_type"].queryset = offered
        self.fields["service_type"].empty_label = "Choose a service"
        # Not "---------": a social worker reads the first option as the answer for a plan that is not supported living.
        self.fields["provision_kind"].choices = [("", "Not supported living"), *ProvisionKind.choices]
        self.fields["assessment"].queryset = NeedsAssessment.objects.filter(person=person)
        self.fields["assessment"].required = False
        if self.instance.pk and self.instance.visit_schedule:
            self.initial["visit_schedule_text"] = "\n".join(
                f"{v['day']}, {v['time']}, {v['minutes']}, {v['carers']}" for v in self.instance.visit_schedule
            )
            self.initial["visits_on_bank_holidays"] = all(
                v.get("on_bank_holidays", True) for v in self.instance.visit_schedule
            )

    def clean_visit_schedule_text(self):
        days = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
        visits = []
        for number, line in enumerate(self.cleaned_data["visit_schedule_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) != 4 or parts[0].lower() not in days:
                raise forms.ValidationError(
                    f"Line {number}: write day, time, minutes, carers, like: Monday, 08:00, 45, 2"
                )
            day, time, minutes, carers = parts
            if not (
                len(time) == 5
                and time[2] == ":"
                and time[:2].isdigit()
                and time[3:].isdigit()
                and int(time[:2]) < 24
                and int(time[3:]) < 60
            ):
                raise forms.ValidationError(f"Line {number}: enter the time as 24-hour hh:mm, like 08:00")
            if not minutes.isdigit() or not 5 <= int(minutes) <= 720:
                raise forms.ValidationError(f"Line {number}: a visit lasts between 5 and 720 minutes")
            if not carers.isdigit() or not 1 <= int(carers) <= 4:
                raise forms.ValidationError(f"Line {number}: a visit has between 1 and 4 carers")
            visits.append({"day": day.capitalize(), "time": time, "minutes": int(minutes), "carers": int(carers)})
        return visits

    def clean(self):
        data = super().clean()
        # Into the visits, not on to the plan's services: the box is not a field of the plan.
        if not data.pop("visits_on_bank_holidays", True):
            for visit in data.get("visit_schedule_text", []):
                visit["on_bank_holidays"] = False
        service = data.get("service_type")
        if service is not None and service.code == ServiceCode.SUPPORTED_LIVING:
            # The procedure's step 1: a supported living plan says what provision and how many 1:1 hours.
            if not data.get("provision_kind"):
                self.add_error("provision_kind", "Select the kind of supported living provision")
            if data.get("one_to_one_hours") is None and "one_to_one_hours" not in self.errors:
                self.add_error("one_to_one_hours", "Enter the 1:1 hours a week (0 if none)")
        return data


class PlanCreateForm(OneTimeForm, PlanForm):
    indicative_weekly_budget = forms.DecimalField(
        label="Indicative weekly budget (£)",
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
    )


class IndicativeBudgetForm(GovUKForm):
    amount = forms.DecimalField(label="Indicative weekly budget (£)", max_digits=9, decimal_places=2, min_value=0)


class PersonSearchForm(GovUKForm):
    q = forms.CharField(
        label="Search by name, postcode or NHS number",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def is_nhs_number_search(self) -> bool:
        return self.is_valid() and bool(re.fullmatch(r"\d{10}", normalise_nhs_number(self.cleaned_data["q"])))
