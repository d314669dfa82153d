"""The check an invoice gets when recorded (invoices.checks): what its order pays for its days, and the flags, at
their edges."""

from decimal import Decimal

import pytest

from invoices.checks import days_in_words, flags_in_words
from invoices.selectors import approved_for_payment
from invoices.services import approve_invoice
from packages.tests.factories import suspend

from .factories import close, day, order_for, record, revise, with_package

pytestmark = pytest.mark.django_db


def test_an_invoice_exactly_at_the_expected_amount_is_not_flagged(person, finance_officer):
    invoice = record(order_for(person, weekly_cost="700.00"), finance_officer, amount="700.00")
    assert (invoice.expected_amount, invoice.over_value, invoice.is_flagged) == (Decimal("700.00"), False, False)
    assert flags_in_words(invoice) == []


def test_a_penny_over_is_flagged_over_value(person, finance_officer):
    invoice = record(order_for(person, weekly_cost="700.00"), finance_officer, amount="700.01")
    assert invoice.over_value and invoice.is_flagged
    assert flags_in_words(invoice) == [
        "The amount invoiced, £700.01, is £0.01 more than the order pays for this period, £700.00."
    ]


def test_part_of_a_week_is_the_weekly_cost_times_days_over_seven_rounded_to_the_penny(person, finance_officer):
    invoice = record(order_for(person, weekly_cost="100.00"), finance_officer, last=day(1), amount="14.29")
    assert invoice.expected_amount == Decimal("14.29")  # 14.2857… rounded half up
    assert not invoice.over_value


def test_a_period_crossing_a_revision_with_another_weekly_cost_pays_each_revision_for_its_days(person, finance_officer):
    first = order_for(person, weekly_cost="700.00")
    revise(first, period_start=day(8), weekly_cost="1400.00")
    invoice = record(first, finance_officer, first=day(5), last=day(10), amount="900.00")
    assert invoice.expected_amount == Decimal("900.00")  # 3 days at £100 and 3 at £200
    assert invoice.purchase_order == first  # the revision in force on its first day
    lines = invoice.check_detail["lines"]
    assert [(line["order"], line["days"], line["amount"]) for line in lines] == [
        (first.number, 3, "300.00"),
        (f"{first.number} revision 2", 3, "600.00"),
    ]
    assert not invoice.is_flagged


def test_an_invoice_typed_against_an_earlier_revision_is_held_against_the_one_in_force_on_its_first_day(
    person, finance_officer
):
    first = order_for(person)
    second = revise(first, period_start=day(8), weekly_cost="1400.00")
    invoice = record(first, finance_officer, first=day(8), last=day(14), amount="1400.00")
    assert invoice.purchase_order == second and not invoice.is_flagged


def test_a_period_starting_before_the_order_flags_the_days_before_it(person, finance_officer):
    order = order_for(person, start=day(3))
    invoice = record(order, finance_officer, first=day(1), last=day(7), amount="500.00")
    assert (invoice.days_outside_order, invoice.expected_amount) == (2, Decimal("500.00"))
    assert invoice.purchase_order == order
    assert flags_in_words(invoice) == ["2 days of this period the purchase order does not cover: 1 to 2 March 2027."]


def test_a_period_after_the_orders_last_day_flags_the_days_after_it(person, finance_officer):
    order = close(order_for(person), last_day=day(5))
    invoice = record(order, finance_officer, amount="500.00")
    assert (invoice.days_outside_order, invoice.expected_amount) == (2, Decimal("500.00"))
    assert "2 days of this period the purchase order does not cover: 6 to 7 March 2027." in flags_in_words(invoice)


def test_a_revision_ending_on_its_period_end_covers_no_day_after(person, finance_officer):
    order = order_for(person, period_end=day(6))
    invoice = record(order, finance_officer, amount="600.00")
    assert (invoice.days_outside_order, invoice.expected_amount) == (1, Decimal("600.00"))


def test_a_suspensions_first_day_is_suspended_and_its_recommencement_day_is_not(person, finance_officer):
    order = order_for(person)
    suspend(with_package(order), valid_from=day(3), valid_to=day(6))  # back on the 6th
    invoice = record(order, finance_officer, amount="700.00")
    assert (invoice.suspended_days, invoice.expected_amount, invoice.over_value) == (3, Decimal("400.00"), True)
    assert invoice.care_package_id == order.care_package_id
    assert "3 days of this period the package was suspended: 3 to 5 March 2027." in flags_in_words(invoice)


def test_an_open_ended_suspension_suspends_every_day_from_its_first(person, finance_officer):
    order = order_for(person)
    suspend(with_package(order), valid_from=day(5), valid_to=None)
    invoice = record(order, finance_officer, first=day(1), last=day(14), amount="400.00")
    assert (invoice.suspended_days, invoice.expected_amount, invoice.over_value) == (10, Decimal("400.00"), False)
    assert "10 days of this period the package was suspended: 5 to 14 March 2027." in flags_in_words(invoice)


def test_a_suspension_outside_the_period_is_not_counted(person, finance_officer):
    order = order_for(person)
    package = with_package(order)
    suspend(package, valid_from=day(8), valid_to=day(10))
    assert record(order, finance_officer).suspended_days == 0


def test_without_a_care_package_the_orders_own_suspension_is_read(person, finance_officer):
    order = order_for(person)
    shown = revise(order, period_start=order.period_start, suspended_from=day(2), recommences_on=None)
    revise(shown, period_start=order.period_start, suspended_from=day(2), recommences_on=day(4))
    invoice = record(order, finance_officer, amount="500.00")
    assert (invoice.suspended_days, invoice.expected_amount) == (2, Decimal("500.00"))
    assert flags_in_words(invoice) == ["2 days of this period the package was suspended: 2 to 3 March 2027."]


def test_days_in_words():
    assert days_in_words(day(12), day(12)) == "12 March 2027"
    assert days_in_words(day(12), day(14)) == "12 to 14 March 2027"
    assert days_in_words(day(30), day(33)) == "30 March to 2 April 2027"
    assert days_in_words(day(1).replace(year=2026, month=12, day=30), day(2)) == "30 December 2026 to 2 March 2027"


def test_approved_for_payment_is_one_query_with_provider_and_order(person, finance_officer, django_assert_num_queries):
    for n in range(3):
        approve_invoice(record(order_for(person), finance_officer, number=f"A-{n}"), acting_user=finance_officer)
    with django_assert_num_queries(1):
        rows = [(i.provider.name, i.purchase_order.number) for i in approved_for_payment()]
    assert len(rows) == 3
