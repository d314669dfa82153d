from django import forms

from core.forms import GovUKDateField, GovUKForm
from packages.models import PackageSuspension

from .workflows import Kind


class ArrangeForm(GovUKForm):
    """What the officer records to make a change: when the provider was told, how, and from when (a suspension's
    reason and recommencement too; an increase's end, if temporary). The dates start as the referral gave them."""

    reason = forms.ChoiceField(
        label="Why is the service suspended?",
        choices=PackageSuspension.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select why the service is suspended",
            "invalid_choice": "Select why the service is suspended",
        },
    )
    detail = forms.CharField(
        label="More about the suspension",
        required=False,
        max_length=300,
        error_messages={"max_length": "More about the suspension must be 300 characters or fewer"},
    )
    starts_on = GovUKDateField(label="Date the change starts")
    ends_on = GovUKDateField(label="Date the service recommences", required=False)
    provider_told_on = GovUKDateField(label="Date the provider was told")
    provider_told_how = forms.CharField(
        label="How the provider was told, and who you spoke to",
        max_length=200,
        error_messages={
            "required": "Enter how the provider was told",
            "max_length": "How the provider was told must be 200 characters or fewer",
        },
    )

    def __init__(self, *args, change, **kwargs):
        referral = change.referral
        kwargs.setdefault("initial", {}).update(starts_on=change.starts_on, ends_on=change.ends_on)
        super().__init__(*args, **kwargs)
        if change.kind == Kind.SUSPEND:
            self.fields["starts_on"].label = "Date the service is suspended from"
            self.fields[
                "ends_on"
            ].help_text = "If the social worker knows it: the first day the service is delivered again."
        else:
            del self.fields["reason"], self.fields["detail"]
            self.fields["starts_on"].label = f"Date the {change.called} takes effect"
            if change.kind == Kind.INCREASE and referral.end_date:
                self.fields["ends_on"].label = "Date the package goes back to its hours before the increase"
            else:
                del self.fields["ends_on"]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", "The date must be after the date the change starts")
        return data


class RecommenceForm(GovUKForm):
    recommences_on = GovUKDateField(label="Date the service recommences", help_text="As the social worker says.")
