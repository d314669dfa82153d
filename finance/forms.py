from django import forms

from core.forms import GovUKDateField, GovUKForm

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
