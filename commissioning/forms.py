from django import forms

from core.forms import FREE_TEXT_MAX_LENGTH, GovUKDateField, GovUKForm
from providers.models import Provider
from providers.selectors import in_house_providers

from .models import Explanation


class ChallengeForm(GovUKForm):
    outcome = forms.CharField(
        label="Could a change of times, carer or tasks let the service continue?",
        help_text="What you asked the provider, the person and the social worker, and why it would not do.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=FREE_TEXT_MAX_LENGTH,
        error_messages={"required": "Say why a change of times, carer or tasks would not let the service continue"},
    )


class RequestExplanationForm(GovUKForm):
    from_whom = forms.ChoiceField(
        label="Ask for a written explanation from",
        choices=Explanation.From.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who to ask", "invalid_choice": "Select who to ask"},
    )


class AttachExplanationForm(GovUKForm):
    received_on = GovUKDateField(label="Date it came")
    text = forms.CharField(
        label="What it says",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=FREE_TEXT_MAX_LENGTH,
        error_messages={"required": "Enter what the explanation says"},
    )
    document = forms.FileField(label="The letter or e-mail, as a PDF (optional)", required=False)


class QualityAlertForm(GovUKForm):
    details = forms.CharField(
        label="What contract monitoring should know",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FREE_TEXT_MAX_LENGTH,
        error_messages={"required": "Say what contract monitoring should know"},
    )


class InHouseForm(GovUKForm):
    provider = forms.ModelChoiceField(
        label="Which of the council's day centres?",
        queryset=Provider.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the day centre", "invalid_choice": "Select the day centre"},
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = in_house_providers(referral.service_type_id)
