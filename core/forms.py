"""GOV.UK Design System classes and ARIA wiring for ordinary Django forms."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Free text without a limit of its own (a summary, an outcome, a note) stops here: about four pages.
# Anything longer is a paste gone wrong or an attack, and it would be stored and shown for years.
FREE_TEXT_MAX_LENGTH = 10_000

# Most specific first: CheckboxSelectMultiple is a RadioSelect, and RadioSelect a Select.
WIDGET_CLASSES = {
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
}
# For these the fieldset carries aria-describedby, as GOV.UK does, not every option.
GROUPED = (forms.RadioSelect, forms.CheckboxSelectMultiple)
ERROR_CLASSES = {
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-input": "govuk-input--error",
}


class Select(forms.Select):
    """A select rendered in Python. Django renders each <option> through its own template, which costs about
    a millisecond for a select of twenty: a queue page's filters were a third of its server time."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = set(self.format_value(value))
        return format_html("<select{}>{}</select>", flatatt(attrs), self._options(self.choices, chosen))

    def _options(self, choices, chosen) -> str:
        parts = []
        for option_value, label in choices:
            if isinstance(label, list | tuple):  # a group of options
                parts.append(
                    format_html('<optgroup label="{}">{}</optgroup>', option_value, self._options(label, chosen))
                )
                continue
            value = "" if option_value is None else str(option_value)
            selected = mark_safe(" selected") if value in chosen else ""
            parts.append(format_html('<option value="{}"{}>{}</option>', value, selected, label))
        return mark_safe("".join(parts))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class GovUKFormMixin:
    """Adds the component classes, and points each field at its hint and error for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if type(field.widget) is forms.Select:
                field.widget.__class__ = Select  # same widget, same choices; rendered without a template per option
            if type(field) is forms.CharField and field.max_length is None:  # free text, not a UUID or e-mail
                field.max_length = FREE_TEXT_MAX_LENGTH
                field.validators.append(MaxLengthValidator(FREE_TEXT_MAX_LENGTH))
            widget = field.widget
            css = next((c for t, c in WIDGET_CLASSES.items() if isinstance(widget, t)), "govuk-input")
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.NumberInput) or name.endswith("postcode"):
                widget.attrs["class"] += " govuk-input--width-10"
            described = []
            if field.help_text:
                described.append(f"id_{self.add_prefix(name)}-hint")
            if described and not isinstance(widget, GROUPED):
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            if isinstance(widget, GROUPED):
                continue
            css = widget.attrs.get("class", "")
            extra = [ERROR_CLASSES[c] for c in css.split() if c in ERROR_CLASSES]
            widget.attrs["class"] = " ".join([css, *extra])
            ids = [x for x in [widget.attrs.get("aria-describedby", ""), f"id_{self.add_prefix(name)}-error"] if x]
            widget.attrs["aria-describedby"] = " ".join(ids)


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass
