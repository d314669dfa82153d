from django import forms

from core.forms import GovUKDateField, GovUKForm, GovUKModelForm
from providers.models import Provider

from .models import Tolerances
from .workflows import Outcome

DATE_HINT = "For example, 27 3 2027"


class PeriodForm(GovUKForm):
    period_from = GovUKDateField(label="First day", help_text=DATE_HINT)
    period_to = GovUKDateField(label="Last day", help_text=DATE_HINT)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("period_from"), cleaned.get("period_to")
        if first and last and last < first:
            self.add_error("period_to", "The last day must be the same as or after the first day")
        return cleaned


class CallMonitoringFileForm(GovUKForm):
    file = forms.FileField(
        label="Call monitoring file",
        help_text="A CSV file (.csv) exported from the call monitoring system, in the format the README describes.",
        error_messages={"required": "Select a call monitoring file", "empty": "The selected file is empty"},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["class"] = "govuk-file-upload"

    def add_error(self, field, error):
        super().add_error(field, error)
        if field == "file":
            attrs = self.fields["file"].widget.attrs
            attrs["class"] = "govuk-file-upload govuk-file-upload--error"
            attrs["aria-describedby"] = f"{self['file'].auto_id}-hint {self['file'].auto_id}-error"

    def full_clean(self):
        super().full_clean()
        attrs = self.fields["file"].widget.attrs
        if "aria-describedby" in attrs:
            attrs["aria-describedby"] = " ".join(dict.fromkeys(attrs["aria-describedby"].split()))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file (.csv)")
        return upload


class TolerancesForm(GovUKModelForm):
    class Meta:
        model = Tolerances
        fields = ["start_minutes", "late_window_minutes", "min_duration_percent", "pay_basis"]
        widgets = {"pay_basis": forms.RadioSelect}
        help_texts = {
            "start_minutes": "For example, 15: a visit planned for 8:00 is on time if the carer checked in from 7:45 to 8:15",
            "late_window_minutes": "Visits started outside the tolerance but inside this window are matched, as late, for you to decide",
            "min_duration_percent": "A visit shorter than this share of its planned time is short, for you to decide",
        }

    def clean(self):
        cleaned = super().clean()
        start, window = cleaned.get("start_minutes"), cleaned.get("late_window_minutes")
        if start is not None and window is not None and window < start:
            self.add_error("late_window_minutes", "The late window must be at least as wide as the start tolerance")
        return cleaned


class ExceptionFilterForm(GovUKForm):
    """The exceptions list's filters, read from the address: a bad value is ignored, not an error page."""

    provider = forms.ModelChoiceField(queryset=Provider.objects.none(), required=False, empty_label="All providers")
    outcome = forms.ChoiceField(
        choices=[("", "Every kind")] + [c for c in Outcome.choices if c[0] != Outcome.MATCHED], required=False
    )
    state = forms.ChoiceField(
        label="Decision",
        choices=[("open", "To decide"), ("decided", "Decided"), ("all", "All")],
        required=False,
    )

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers if providers is not None else Provider.objects.all()


class DecisionForm(GovUKForm):
    note = forms.CharField(
        label="Note",
        help_text="Why you accept or reject this visit: it is kept with the decision, and the provider sees it",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a note saying why"},
    )
