from datetime import date
from functools import partial

from django import forms

from catalogue.selectors import service_type_choices
from core.forms import GovUKDateField, GovUKForm, Select

from .models import PurchasingArrangement

# A Dynamic Market exists only under the Procurement Act 2023 (in force from this day).
PROCUREMENT_ACT_IN_FORCE = date(2025, 2, 24)


class ArrangementForm(GovUKForm):
    name = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter the arrangement's name"},
        help_text="As in the procurement documents, for example Residential care DPS 2026 to 2030.",
    )
    kind = forms.ChoiceField(
        label="Kind of arrangement",
        choices=PurchasingArrangement.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a DPS or a Dynamic Market"},
    )
    service_type = forms.ChoiceField(
        label="Service",
        choices=partial(service_type_choices, "Choose a service"),
        widget=Select,
        error_messages={"required": "Choose the service the arrangement is for"},
    )
    starts_on = GovUKDateField(label="Start date", help_text="For example, 1 4 2026")
    expires_on = GovUKDateField(
        label="End date",
        required=False,
        help_text="Leave empty if it has no fixed end. For example, 31 3 2030",
    )

    def __init__(self, *args, instance: PurchasingArrangement | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(instance, name)
                    for name in ("name", "kind", "service_type_id", "starts_on", "expires_on")
                },
            )
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = PurchasingArrangement.objects.filter(name__iexact=name)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("There is already an arrangement with this name: give this one its own")
        return name

    def clean(self):
        data = super().clean()
        starts, expires, kind = data.get("starts_on"), data.get("expires_on"), data.get("kind")
        if starts and expires and expires <= starts:
            self.add_error("expires_on", "End date must be after the start date")
        if kind == PurchasingArrangement.Kind.DYNAMIC_MARKET and starts and starts < PROCUREMENT_ACT_IN_FORCE:
            self.add_error(
                "starts_on",
                "A Dynamic Market must start on or after 24 February 2025, when the Procurement Act 2023 came into "
                "force: an earlier arrangement is a DPS",
            )
        return data


class MemberForm(GovUKForm):
    """Admit one of the providers offering the arrangement's service."""

    provider_service = forms.TypedChoiceField(
        label="Provider",
        coerce=int,
        widget=Select,
        error_messages={"required": "Choose a provider to admit", "invalid_choice": "Choose a provider from the list"},
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_service"].choices = [("", "Choose a provider")] + [
            (
                service.pk,
                f"{service.provider.name}" + (f" (now on {service.arrangement.name})" if service.arrangement else ""),
            )
            for service in candidates
        ]
