import math
from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from core.forms import FREE_TEXT_MAX_LENGTH, GovUKDateField, GovUKForm, GovUKTimeField
from providers.models import Provider

from .selectors import above_approved, open_arrangements_for
from .services import (
    MINIMUM_BIDDING_TIME,
    MINIMUM_NOTICE_OF_CHANGE,
    closing_before_start,
    closing_too_soon,
    start_after_closing,
)

# An urgent package is put out for a couple of hours, not days: bidding closes on the quarter hour after this.
URGENT_BIDDING_TIME = timedelta(hours=2)
QUARTER_HOUR = timedelta(minutes=15)


def urgent_closing_time(now: datetime) -> datetime:
    """Two hours from now, rounded up to the next quarter hour: 09:05 gives 11:15, 09:00 gives 11:00."""
    later = timezone.localtime(now) + URGENT_BIDDING_TIME
    midnight = later.replace(hour=0, minute=0, second=0, microsecond=0)
    quarters = math.ceil((later - midnight) / QUARTER_HOUR)
    return timezone.localtime(midnight + quarters * QUARTER_HOUR)


def usual_closing_time(now: datetime) -> datetime:
    return (timezone.localtime(now) + timedelta(days=3)).replace(hour=12, minute=0, second=0, microsecond=0)


class ClosingTimeFields(GovUKForm):
    """When bidding closes, as the GOV.UK date input and a time on the 24-hour clock, read together as `closes_at`.

    A form built on this one sets `minimum_notice`: a time sooner than that from now is refused next to the box
    that needs changing (the date if it is an earlier day, else the time).
    """

    closes_on = GovUKDateField(
        label="Date bidding closes",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the date bidding closes"},
    )
    closes_time = GovUKTimeField(
        label="Time bidding closes",
        help_text="Use the 24-hour clock, for example 09:30 or 14:00",
        error_messages={"required": "Enter the time bidding closes"},
    )
    minimum_notice = MINIMUM_BIDDING_TIME

    def initial_closing(self, closes_at: datetime) -> None:
        closes_at = timezone.localtime(closes_at)
        self.initial.setdefault("closes_on", closes_at.date())
        self.initial.setdefault("closes_time", closes_at.time().replace(second=0, microsecond=0))

    def clean(self):
        data = super().clean()
        day, time = data.pop("closes_on", None), data.pop("closes_time", None)
        if day is None or time is None:
            return data
        closes_at = timezone.make_aware(datetime.combine(day, time))
        if too_soon := closing_too_soon(closes_at, self.minimum_notice):
            self.add_error("closes_on" if day < timezone.localdate() else "closes_time", too_soon)
        else:
            data["closes_at"] = closes_at
        return data


class RequirementForm(ClosingTimeFields):
    arrangement = forms.ModelChoiceField(
        label="Arrangement",
        queryset=None,
        help_text="The DPS or Dynamic Market the providers have joined for this service.",
    )
    start_date = GovUKDateField(label="Start date", help_text="For example, 27 3 2027")
    summary = forms.CharField(
        label="About the package",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What providers need to know to bid. No names, dates of birth, addresses or "
        "other personal details: providers see only the postcode district.",
        error_messages={"required": "Enter what providers need to know about the package"},
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

    field_order = ["arrangement", "start_date", "closes_on", "closes_time", "summary", "outcomes", "quality_weight"]

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arrangement"].queryset = open_arrangements_for(referral.service_type_id)
        if referral.urgent:
            self.fields["closes_time"].help_text = (
                "This referral is urgent: bidding can close an hour from now. "
                "Use the 24-hour clock, for example 09:30 or 14:00"
            )
        if not self.is_bound:
            plan = referral.plan
            now = timezone.now()
            closes_at = urgent_closing_time(now) if referral.urgent else usual_closing_time(now)
            self.initial_closing(closes_at)
            # An urgent package starts as soon as it can: the day after bidding closes.
            starts = (
                closes_at.date() + timedelta(days=1) if referral.urgent else timezone.localdate() + timedelta(days=7)
            )
            self.initial.setdefault("start_date", starts)
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


class ClosingTimeForm(ClosingTimeFields):
    """A new closing time for a requirement out for bids, and why: the providers are told both."""

    reason = forms.CharField(
        label="Why is the closing time changing?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FREE_TEXT_MAX_LENGTH,
        help_text="The providers are told this. No names or other personal details.",
        error_messages={
            "required": "Enter why the closing time is changing",
            "max_length": f"The reason must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer",
        },
    )
    minimum_notice = MINIMUM_NOTICE_OF_CHANGE

    def __init__(self, *args, requirement, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        if not self.is_bound:
            self.initial_closing(requirement.closes_at)

    def clean(self):
        data = super().clean()
        closes_at = data.get("closes_at")
        if closes_at and timezone.localtime(closes_at).date() >= self.requirement.start_date:
            self.add_error("closes_on", closing_before_start(self.requirement.start_date))
        return data


class SpotContractForm(GovUKForm):
    provider = forms.ModelChoiceField(label="Provider", queryset=Provider.objects.none())
    reason = forms.CharField(label="Why can no framework provider deliver?", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = (
            Provider.objects.filter(active=True, services__service_type=referral.service_type_id)
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
