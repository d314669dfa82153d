"""GOV.UK Design System classes and ARIA wiring for ordinary Django forms."""

import re
from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Free text without a limit of its own (a summary, an outcome, a note) stops here: about four pages.
# Anything longer is a paste gone wrong or an attack, and it would be stored and shown for years.
FREE_TEXT_MAX_LENGTH = 10_000


def free_text(label: str, *, required=True, rows=3, missing: str = "", help_text: str = "") -> forms.CharField:
    """A text area for a reason, a note or an outcome, up to FREE_TEXT_MAX_LENGTH. Left empty when required, it
    says `missing`, or "Enter" and the label (its question mark dropped)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=FREE_TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing or f"Enter {label[0].lower()}{label[1:]}".rstrip("?")},
    )


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


DATE_PARTS = ("day", "month", "year")


class GovUKDateInput(forms.MultiWidget):
    """The GOV.UK date input: Day, Month and Year boxes, posted as <name>_day, <name>_month and <name>_year.
    Rendered in Python, like Select. includes/field.html puts it in a fieldset whose legend is the field's label.

    `error_parts` names the boxes to mark as wrong; GovUKFormMixin.full_clean sets it from the field's errors.
    `autocomplete="bday"` lets the browser fill in a date of birth (bday-day, bday-month, bday-year).
    """

    def __init__(self, attrs=None, *, autocomplete=""):
        super().__init__({part: forms.TextInput() for part in DATE_PARTS}, attrs)
        self.autocomplete = autocomplete
        self.error_parts = ()

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        # Exactly as typed, so a refused date comes back to the person unchanged.
        return [data.get(f"{name}_{part}") for part in DATE_PARTS]

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""

    @property
    def first_error_part(self) -> str:
        """The box the error summary links to."""
        return self.error_parts[0] if self.error_parts else "day"

    def render(self, name, value, attrs=None, renderer=None):
        id_ = (attrs or {}).get("id") or self.attrs.get("id", "")
        typed = value if isinstance(value, list | tuple) else self.decompress(value)
        items = []
        for part, text in zip(DATE_PARTS, typed, strict=True):
            width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            error = " govuk-input--error" if part in self.error_parts else ""
            input_attrs = {
                "class": f"govuk-input govuk-date-input__input {width}{error}",
                "id": f"{id_}_{part}" if id_ else None,
                "name": f"{name}_{part}",
                "type": "text",
                "inputmode": "numeric",
                "autocomplete": f"{self.autocomplete}-{part}" if self.autocomplete else None,
                "value": text or None,
                "disabled": bool((attrs or {}).get("disabled")),
            }
            items.append(
                format_html(
                    '<div class="govuk-date-input__item"><div class="govuk-form-group">'
                    '<label class="govuk-label govuk-date-input__label"{}>{}</label><input{}></div></div>',
                    flatatt({"for": input_attrs["id"]}),
                    part.capitalize(),
                    flatatt(input_attrs),
                )
            )
        return format_html(
            '<div class="govuk-date-input"{}>{}</div>', flatatt({"id": id_ or None}), mark_safe("".join(items))
        )


class GovUKDateField(forms.DateField):
    """A date typed into the GOV.UK date input, refused with the Design System's messages: "Enter start date",
    "Start date must include a month", "Start date must be a real date". Each error names the boxes that are
    wrong (params["date_parts"]), for the widget to mark and the error summary to link to."""

    widget = GovUKDateInput
    default_error_messages = {
        "required": "Enter %(label)s",
        "incomplete": "%(Label)s must include a %(missing)s",
        "invalid": "%(Label)s must be a real date",
        "year": "Year must include 4 numbers",
    }

    def to_python(self, value):
        if not isinstance(value, list | tuple):  # a date, or a date written out (initial data, a test)
            try:
                return super().to_python(value)
            except ValidationError:
                raise self._error("invalid", DATE_PARTS) from None
        parts = dict(zip(DATE_PARTS, ((text or "").strip() for text in value), strict=True))
        missing = [part for part in DATE_PARTS if not parts[part]]
        if len(missing) == len(DATE_PARTS):
            return None
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))
        # At most two digits for a day or month: int() of a pasted page of digits is slow, then refused.
        not_numbers = [p for p in ("day", "month") if not re.fullmatch(r"[0-9]{1,2}", parts[p])]
        if not_numbers or not re.fullmatch(r"[0-9]+", parts["year"]):
            raise self._error("invalid", not_numbers or ["year"])
        if len(parts["year"]) != 4:
            raise self._error("year", ["year"])
        day, month, year = (int(parts[part]) for part in DATE_PARTS)
        try:
            return date(year, month, day)
        except ValueError:
            # Day 31 in February is wrong for its month: the day is what to change.
            wrong = [p for p, ok in (("month", 1 <= month <= 12), ("year", year >= 1)) if not ok] or ["day"]
            raise self._error("invalid", wrong) from None

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise self._error("required", DATE_PARTS)

    def _error(self, code: str, parts, **params) -> ValidationError:
        label = str(self.label or "Date")
        return ValidationError(
            self.error_messages[code],
            code=code,
            params={"label": _in_a_sentence(label), "Label": label, "date_parts": tuple(parts), **params},
        )


DJANGO_REQUIRED = forms.Field.default_error_messages["required"]


def required_message(field: forms.Field, name: str) -> str:
    """The GOV.UK message for an empty field that does not give its own, from its label: "Enter start date",
    "Select provider", or for a question, "Enter your answer to ‘Why is it going out again?’"."""
    label = str(field.label or name.replace("_", " ").capitalize())
    if label.endswith("?"):
        return f"Enter your answer to ‘{label}’"
    chosen = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField | forms.FileField)
    return f"{'Select' if chosen else 'Enter'} {_in_a_sentence(label)}"


def _in_a_sentence(label: str) -> str:
    """A label as it reads inside a message: "Start date" → "start date", but "NHS number" stays."""
    first_word = label.split(" ", 1)[0]
    return label if len(first_word) > 1 and first_word.isupper() else label[:1].lower() + label[1:]


# "14:30", "14.30", "1430", "9:05", "9", "2pm", "2:30 pm", "2.30p.m."
TIME_TYPED = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:[:.]?(?P<minute>[0-9]{2}))?\s*(?:(?P<half>[ap])\.?m\.?)?", re.IGNORECASE
)
MIDDAY = ("midday", "noon", "12 noon", "12 midday")


class GovUKTimeField(forms.TimeField):
    """A time of day in one text box, on the 24-hour clock ("14:30"), with a hint saying so.

    GOV.UK has no time component, and browsers' own time pickers differ from one to the next and are awkward
    with a screen reader, so the box takes a time as people type it: "14:30", "14.30", "1430", "9:05", "2pm",
    "2:30pm" or "midday". Not "midnight": whether it starts or ends the day is unclear, so it is refused as not a
    real time and the hint's example shows the way. What was typed comes back unchanged when it is refused.
    """

    widget = forms.TimeInput
    default_error_messages = {
        "required": "Enter %(label)s",
        "invalid": "%(Label)s must be a real time, like 14:30",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TimeInput(
                format="%H:%M", attrs={"class": "govuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, time):
            return value
        typed = " ".join(str(value or "").split()).lower()
        if not typed:
            return None
        if typed in MIDDAY:
            return time(12, 0)
        # A few characters at most: a longer paste is not a time, and is not worth a regular expression's time.
        match = TIME_TYPED.fullmatch(typed) if len(typed) <= 12 else None
        if match is None:
            raise self._error("invalid")
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if match["half"]:
            if not 1 <= hour <= 12:
                raise self._error("invalid")
            hour = hour % 12 + (12 if match["half"] == "p" else 0)
        if hour > 23 or minute > 59:
            raise self._error("invalid")
        return time(hour, minute)

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise self._error("required")

    def _error(self, code: str) -> ValidationError:
        label = str(self.label or "Time")
        return ValidationError(
            self.error_messages[code], code=code, params={"label": _in_a_sentence(label), "Label": label}
        )


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
            if field.error_messages.get("required") == DJANGO_REQUIRED:
                field.error_messages = {**field.error_messages, "required": required_message(field, name)}
            widget = field.widget
            if isinstance(widget, GovUKDateInput):
                continue  # each box has its own classes; the fieldset carries aria-describedby (includes/field.html)
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
            if isinstance(widget, GovUKDateInput):
                widget.error_parts = _wrong_date_parts(self.errors.as_data()[name])
                continue
            if isinstance(widget, GROUPED):
                continue
            css = widget.attrs.get("class", "")
            extra = [ERROR_CLASSES[c] for c in css.split() if c in ERROR_CLASSES]
            widget.attrs["class"] = " ".join([css, *extra])
            ids = [x for x in [widget.attrs.get("aria-describedby", ""), f"id_{self.add_prefix(name)}-error"] if x]
            widget.attrs["aria-describedby"] = " ".join(ids)


def _wrong_date_parts(errors) -> tuple[str, ...]:
    """The boxes of a date input to mark: those the errors name; all three for an error about the whole date
    (in the past, after another date), from a validator, a form's clean() or a service."""
    wrong = set()
    for error in errors:
        wrong.update((error.params or {}).get("date_parts", DATE_PARTS))
    return tuple(part for part in DATE_PARTS if part in wrong)


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass
