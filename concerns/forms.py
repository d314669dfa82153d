from django import forms

from core.forms import GovUKForm
from core.once import OneTimeForm

from .models import Concern


class ConcernForm(OneTimeForm, GovUKForm):
    kind = forms.ChoiceField(
        label="What are you raising?",
        choices=Concern.Kind.choices,
        widget=forms.RadioSelect,
        help_text="Safeguarding concerns go to the First Response team, complaints to the "
        "monitoring officer, quality alerts to contract monitoring.",
    )
    provider_name = forms.CharField(label="Provider (for a quality alert)", required=False, max_length=200)
    details = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 6}))


class CloseConcernForm(GovUKForm):
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs={"rows": 4}))
