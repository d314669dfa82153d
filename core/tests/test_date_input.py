"""The GOV.UK date input (core.forms GovUKDateInput and GovUKDateField): Day, Month and Year boxes in a
fieldset, the Design System's error messages, and what was typed given back unchanged when a date is refused."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from pytest_django.asserts import assertInHTML

from core.forms import GovUKDateField, GovUKDateInput, GovUKForm


class StartForm(GovUKForm):
    start_date = GovUKDateField(label="Start date", help_text="For example, 27 3 2027")


class StartAfterForm(StartForm):
    """A check on the whole date, as a form's clean() or a service makes one."""

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data["start_date"] < date(2027, 1, 1):
            self.add_error("start_date", "The start date must be in 2027 or later")
        return data


def typed(day, month, year, name="start_date") -> dict[str, str]:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def field_html(form, name="start_date") -> str:
    return render_to_string("includes/field.html", {"field": form[name]})


def summary_html(form) -> str:
    return render_to_string("includes/error_summary.html", {"form": form})


def box(part: str, value: str = "", *, error=False, name="start_date") -> str:
    width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
    marked = " govuk-input--error" if error else ""
    typed_value = f' value="{value}"' if value else ""
    return (
        f'<input class="govuk-input govuk-date-input__input {width}{marked}" '
        f'id="id_{name}_{part}" name="{name}_{part}" type="text" inputmode="numeric"{typed_value}>'
    )


def test_three_labelled_boxes_in_a_fieldset_whose_legend_is_the_label():
    page = field_html(StartForm(initial={"start_date": date(2027, 3, 27)}))

    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_start_date-hint">' in page
    assertInHTML('<legend class="govuk-fieldset__legend">Start date</legend>', page)
    assertInHTML('<div id="id_start_date-hint" class="govuk-hint">For example, 27 3 2027</div>', page)
    for part, label, value in (("day", "Day", "27"), ("month", "Month", "3"), ("year", "Year", "2027")):
        assertInHTML(
            f'<label class="govuk-label govuk-date-input__label" for="id_start_date_{part}">{label}</label>', page
        )
        assertInHTML(box(part, value), page)
    assert page.count('class="govuk-date-input__item"') == 3
    assert 'class="govuk-date-input" id="id_start_date"' in page
    assert "govuk-error-message" not in page and "govuk-input--error" not in page
    assert "style=" not in page and "<script" not in page
    assert 'type="date"' not in page


def test_an_optional_date_says_so_in_its_legend():
    form = StartForm()
    form.fields["start_date"].required = False
    assertInHTML('<legend class="govuk-fieldset__legend">Start date (optional)</legend>', field_html(form))


def test_a_date_of_birth_lets_the_browser_fill_each_box():
    html = GovUKDateInput(autocomplete="bday").render("born", date(1941, 3, 2), attrs={"id": "id_born"})
    for part, value in (("day", "2"), ("month", "3"), ("year", "1941")):
        assert f'autocomplete="bday-{part}"' in html and f'name="born_{part}"' in html and f'value="{value}"' in html


@pytest.mark.parametrize(
    "value,parts",
    [
        (date(2027, 3, 27), ["27", "3", "2027"]),
        ("2027-03-27", ["27", "3", "2027"]),
        (None, [None, None, None]),
        ("not a date", [None, None, None]),
    ],
)
def test_decompress_splits_a_date_into_its_boxes(value, parts):
    assert GovUKDateInput().decompress(value) == parts


def test_value_from_datadict_reads_the_three_boxes_as_typed():
    data = typed(" 7 ", "March", "2027")
    assert GovUKDateInput().value_from_datadict(data, {}, "start_date") == [" 7 ", "March", "2027"]


@pytest.mark.parametrize(
    "day,month,year",
    [("27", "3", "2027"), ("27", "03", "2027"), (" 27 ", " 3", "2027 "), ("29", "2", "2028")],
)
def test_a_real_date_is_parsed(day, month, year):
    form = StartForm(typed(day, month, year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_date"] == date(int(year), int(month), int(day))


def test_an_optional_date_left_empty_is_none():
    form = StartForm(typed("", "", ""))
    form.fields["start_date"].required = False
    assert form.is_valid()
    assert form.cleaned_data["start_date"] is None


@pytest.mark.parametrize(
    "day,month,year,message,wrong",
    [
        ("", "", "", "Enter start date", ["day", "month", "year"]),
        ("27", "", "2027", "Start date must include a month", ["month"]),
        (" 27 ", " ", "2027", "Start date must include a month", ["month"]),
        ("", "3", "2027", "Start date must include a day", ["day"]),
        ("27", "3", "", "Start date must include a year", ["year"]),
        ("", "", "2027", "Start date must include a day and month", ["day", "month"]),
        ("27", "", "", "Start date must include a month and year", ["month", "year"]),
        ("31", "2", "2027", "Start date must be a real date", ["day"]),
        ("29", "2", "2027", "Start date must be a real date", ["day"]),
        ("0", "3", "2027", "Start date must be a real date", ["day"]),
        ("27", "13", "2027", "Start date must be a real date", ["month"]),
        ("twenty", "3", "2027", "Start date must be a real date", ["day"]),
        ("27", "March", "2027", "Start date must be a real date", ["month"]),
        ("27", "3", "2O27", "Start date must be a real date", ["year"]),
        ("27", "3", "0000", "Start date must be a real date", ["year"]),
        ("-1", "3", "2027", "Start date must be a real date", ["day"]),
        ("127", "3", "2027", "Start date must be a real date", ["day"]),
        ("27", "3", "27", "Year must include 4 numbers", ["year"]),
        ("27", "3", "20270", "Year must include 4 numbers", ["year"]),
    ],
)
def test_each_error_has_its_message_marks_the_wrong_boxes_and_keeps_what_was_typed(day, month, year, message, wrong):
    form = StartForm(typed(day, month, year))

    assert not form.is_valid()
    assert form.errors["start_date"] == [message]
    page = field_html(form)
    assert 'class="govuk-form-group govuk-form-group--error"' in page
    assert 'aria-describedby="id_start_date-hint id_start_date-error"' in page
    assertInHTML(
        f'<p id="id_start_date-error" class="govuk-error-message">'
        f'<span class="govuk-visually-hidden">Error:</span> {message}</p>',
        page,
    )
    # The error comes before the boxes, as in the Design System.
    assert page.index("govuk-error-message") < page.index("govuk-date-input")
    for part, value in zip(("day", "month", "year"), (day, month, year), strict=True):
        assertInHTML(box(part, value, error=part in wrong), page)
        assert not value or f'name="start_date_{part}" type="text" value="{value}"' in page  # exactly as typed
    assertInHTML(f'<a href="#id_start_date_{wrong[0]}">{message}</a>', summary_html(form))


def test_an_error_about_the_whole_date_marks_all_three_boxes_and_links_to_the_day():
    form = StartAfterForm(typed("1", "6", "2026"))

    assert form.errors["start_date"] == ["The start date must be in 2027 or later"]
    page = field_html(form)
    for part, value in (("day", "1"), ("month", "6"), ("year", "2026")):
        assertInHTML(box(part, value, error=True), page)
    assertInHTML('<a href="#id_start_date_day">The start date must be in 2027 or later</a>', summary_html(form))


def test_the_label_starts_in_lower_case_in_a_sentence_unless_it_starts_with_an_abbreviation():
    class ReviewForm(GovUKForm):
        nhs_date = GovUKDateField(label="NHS continuing healthcare review date")
        review_date = GovUKDateField(label="Review date")

    form = ReviewForm(typed("", "", "", name="nhs_date") | typed("", "", "", name="review_date"))
    assert form.errors == {
        "nhs_date": ["Enter NHS continuing healthcare review date"],
        "review_date": ["Enter review date"],
    }


def test_a_form_prefix_is_kept_in_the_names_and_ids():
    form = StartForm({"p-start_date_day": "27", "p-start_date_month": "", "p-start_date_year": "2027"}, prefix="p")
    assert form.errors["start_date"] == ["Start date must include a month"]
    page = field_html(form)
    assert 'id="id_p-start_date_month"' in page and 'name="p-start_date_month"' in page
    assertInHTML('<a href="#id_p-start_date_month">Start date must include a month</a>', summary_html(form))


# Every empty required field says what to do, in GOV.UK words, unless its form says otherwise.
def test_an_empty_field_asks_for_what_its_label_names():
    from django import forms as django_forms

    from core.forms import GovUKForm

    class Example(GovUKForm):
        first_name = django_forms.CharField()
        nhs_number = django_forms.CharField(label="NHS number")
        provider = django_forms.ChoiceField(choices=[("1", "One")])
        reason = django_forms.CharField(label="Why is it going out again?")
        own = django_forms.CharField(error_messages={"required": "Tell us"})

    errors = Example(data={}).errors
    assert errors == {
        "first_name": ["Enter first name"],
        "nhs_number": ["Enter NHS number"],
        "provider": ["Select provider"],
        "reason": ["Enter your answer to ‘Why is it going out again?’"],
        "own": ["Tell us"],
    }
