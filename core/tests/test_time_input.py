"""A time of day typed into one box (core.forms GovUKTimeField): the 24-hour clock and the ways people write a time,
the Design System's error messages, and what was typed given back unchanged when it is refused."""

from datetime import time

import pytest
from django.template.loader import render_to_string

from core.forms import GovUKForm, GovUKTimeField


class ClosingForm(GovUKForm):
    closes_time = GovUKTimeField(label="Time bidding closes", help_text="Use the 24-hour clock, for example 14:30")


class OptionalForm(GovUKForm):
    visit_time = GovUKTimeField(label="Visit time", required=False)


@pytest.mark.parametrize(
    "typed,read",
    [
        ("14:30", time(14, 30)),
        ("09:05", time(9, 5)),
        ("9:05", time(9, 5)),
        ("14.30", time(14, 30)),
        ("1430", time(14, 30)),
        ("930", time(9, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("17", time(17, 0)),
        (" 14:30 ", time(14, 30)),
        ("2pm", time(14, 0)),
        ("2:30 PM", time(14, 30)),
        ("2.30p.m.", time(14, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("11:15am", time(11, 15)),
        ("midday", time(12, 0)),
        ("Noon", time(12, 0)),
    ],
)
def test_times_as_people_type_them(typed, read):
    form = ClosingForm({"closes_time": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["closes_time"] == read


@pytest.mark.parametrize(
    "typed", ["24:00", "14:60", "25:99", "13pm", "0am", "14:3", "half past two", "midnight", "1" * 5000, "-1:00"]
)
def test_not_a_real_time(typed):
    form = ClosingForm({"closes_time": typed})
    assert not form.is_valid()
    assert form.errors["closes_time"] == ["Time bidding closes must be a real time, like 14:30"]


def test_an_empty_box_asks_for_the_time():
    form = ClosingForm({"closes_time": "  "})
    assert form.errors["closes_time"] == ["Enter time bidding closes"]


def test_an_optional_time_may_be_left_out():
    form = OptionalForm({"visit_time": ""})
    assert form.is_valid() and form.cleaned_data["visit_time"] is None


def test_a_label_hint_and_a_narrow_box_on_the_24_hour_clock():
    page = render_to_string(
        "includes/field.html", {"field": ClosingForm(initial={"closes_time": time(9, 5)})["closes_time"]}
    )
    assert '<label class="govuk-label" for="id_closes_time">' in page
    assert '<div id="id_closes_time-hint" class="govuk-hint">Use the 24-hour clock, for example 14:30</div>' in page
    assert 'class="govuk-input--width-5 govuk-input"' in page
    assert 'value="09:05"' in page and 'aria-describedby="id_closes_time-hint"' in page


def test_a_refused_time_comes_back_as_typed_marked_and_described():
    form = ClosingForm({"closes_time": "25:99"})
    form.is_valid()
    page = render_to_string("includes/field.html", {"field": form["closes_time"]})
    assert 'value="25:99"' in page
    assert "govuk-input--error" in page
    assert 'aria-describedby="id_closes_time-hint id_closes_time-error"' in page
    assert '<p id="id_closes_time-error" class="govuk-error-message">' in page
