from functools import partial

from django import forms

from catalogue.selectors import service_type_choices
from core.forms import GovUKForm

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class DirectorySearchForm(GovUKForm):
    q = forms.CharField(label="Name, postcode district or service", required=False, max_length=100)
    district = forms.RegexField(
        label="Covers postcode district",
        required=False,
        max_length=4,
        regex=r"^\s*[A-Za-z]{1,2}[0-9][0-9A-Za-z]?\s*$",
        help_text="For example, E1 or W2",
        error_messages={"invalid": "Enter a postcode district, like E1 or W2"},
    )
    service_type = forms.ChoiceField(
        label="Service", required=False, choices=partial(service_type_choices, "Any service")
    )

    def clean_district(self) -> str:
        return self.cleaned_data["district"].strip().upper()


class DirectoryImportForm(GovUKForm):
    directory = forms.FileField(
        label="Directory file",
        help_text="An Open Referral UK JSON file (.json) of up to 5 MB: one organization, a list of organizations "
        "or a page of organizations.",
        error_messages={
            "required": "Select an Open Referral UK JSON file to import",
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK styles a file input as a file upload, not a text input.
        self.fields["directory"].widget.attrs["class"] = "govuk-file-upload"

    def add_error(self, field, error):
        """Also for errors the view adds after checking the file's contents, so they are styled and announced."""
        super().add_error(field, error)
        if field == "directory":
            attrs = self.fields["directory"].widget.attrs
            attrs["class"] = "govuk-file-upload govuk-file-upload--error"
            attrs["aria-describedby"] = f"{self['directory'].auto_id}-hint {self['directory'].auto_id}-error"

    def full_clean(self):
        super().full_clean()
        attrs = self.fields["directory"].widget.attrs
        if "aria-describedby" in attrs:  # the mixin adds the error's id again after add_error has
            attrs["aria-describedby"] = " ".join(dict.fromkeys(attrs["aria-describedby"].split()))

    def clean_directory(self):
        upload = self.cleaned_data["directory"]
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError("The selected file must be a JSON file (.json)")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB")
        return upload
