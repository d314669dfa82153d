from django import forms

from core.forms import FREE_TEXT_MAX_LENGTH, GovUKForm


def _text(label: str, required: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required,
            "max_length": f"Keep it to {FREE_TEXT_MAX_LENGTH:,} characters or fewer",
        },
    )


class RecordReviewForm(GovUKForm):
    outcome = _text("What did the review find?", "Enter what the review found")


class CancelReviewForm(GovUKForm):
    reason = _text("Why is the review cancelled?", "Enter why the review is cancelled")
