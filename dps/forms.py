from datetime import timedelta

from django import forms
from django.utils import timezone

from core.forms import DateTimeInput, GovUKDateField, GovUKForm
from providers.models import Provider

from .selectors import above_approved, open_arrangements_for
from .services import start_after_closing


class RequirementForm(GovUKForm):
    arrangement = forms.ModelChoiceField(
        label="Arrangement",
        queryset=None,
        help_text="The DPS or Dynamic Market the providers have joined for this service.",
    )
    start_date = GovUKDateField(label="Start date", help_text="For example, 27 3 2027")
    closes_at = forms.DateTimeField(label="Bidding closes", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"])
    summary = forms.CharField(
        label="About the package",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What providers need to know to bid. No names, dates of birth, addresses or "
        "other personal details: providers see only the postcode district.",
    )
    outcomes = forms.CharField(
        label="Outcome statements",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One a line. Each bidder answers each one, and you score the answers.",
    )
    quality_weight = forms.IntegerField(
        label="Weight of quality (%)",
        min_value=0,
        max_value=100,
        initial=60,
        help_text="Price carries the rest. The price score is the lowest weekly price "
        "divided by this bid's, times 100.",
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arrangement"].queryset = open_arrangements_for(referral.service_type)
        if not self.is_bound:
            plan = referral.plan
            self.initial.setdefault("start_date", timezone.localdate() + timedelta(days=7))
            self.initial.setdefault(
                "closes_at",
                (timezone.localtime() + timedelta(days=3)).replace(hour=12, minute=0, second=0, microsecond=0),
            )
            if plan is not None:
                self.initial.setdefault("outcomes", plan.outcomes)
            arrangements = list(self.fields["arrangement"].queryset[:2])
            if len(arrangements) == 1:
                self.initial.setdefault("arrangement", arrangements[0])

    def clean_outcomes(self):
        return [line.strip() for line in self.cleaned_data["outcomes"].splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        start, closes = data.get("start_date"), data.get("closes_at")
        if start and closes and start <= timezone.localtime(closes).date():
            self.add_error("start_date", start_after_closing(closes))
        return data


class RepublishForm(RequirementForm):
    reason = forms.CharField(label="Why is it going out again?", widget=forms.Textarea(attrs={"rows": 3}))


class SpotContractForm(GovUKForm):
    provider = forms.ModelChoiceField(label="Provider", queryset=Provider.objects.none())
    reason = forms.CharField(label="Why can no framework provider deliver?", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = (
            Provider.objects.filter(active=True, services__service_type=referral.service_type)
            .distinct()
            .order_by("name")
        )


class SelectBidForm(GovUKForm):
    bid = forms.ModelChoiceField(label="Provider to award", queryset=None, widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason for choosing this provider", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, requirement, approved_weekly_amount=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].queryset = requirement.bids.select_related("provider")

        def label(bid):
            above = above_approved(bid.weekly_price, approved_weekly_amount)
            flag = f", £{above} above the approved amount" if above else ""
            return f"{bid.provider} (£{bid.weekly_price} a week{flag})"

        self.fields["bid"].label_from_instance = label


SCORE_CHOICES = [("", "Not scored")] + [(str(n), str(n)) for n in range(6)]


class ScoreForm(GovUKForm):
    """One 0–5 score for each answer of each bid."""

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = answers
        for answer in answers:
            self.fields[f"score_{answer.pk}"] = forms.TypedChoiceField(
                label=f"Score for {answer.bid.provider}'s answer to outcome {answer.outcome.position}",
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial="" if answer.score is None else str(answer.score),
            )

    def scores(self) -> dict[int, int]:
        return {
            a.pk: self.cleaned_data[f"score_{a.pk}"]
            for a in self.answers
            if self.cleaned_data.get(f"score_{a.pk}") is not None
        }
