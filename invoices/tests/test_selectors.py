"""invoices.selectors: the waiting list in one query, and an order found by its number as typed."""

import pytest

from invoices import services
from invoices.selectors import OrderNumberError, order_by_number, waiting

from .factories import day, order_for, record, revise

pytestmark = pytest.mark.django_db


def test_waiting_is_one_query_oldest_received_first_without_the_decided(
    person, finance_officer, django_assert_num_queries
):
    late = record(order_for(person), finance_officer, number="L", received_on=day(20))
    early = record(order_for(person), finance_officer, number="E", received_on=day(9))
    queried = services.query_invoice(
        record(order_for(person), finance_officer, number="Q", received_on=day(15)),
        acting_user=finance_officer,
        note="?",
    )
    services.approve_invoice(record(order_for(person), finance_officer, number="A"), acting_user=finance_officer)
    with django_assert_num_queries(1):
        rows = [(i.number, i.provider.name, i.purchase_order.number) for i in waiting()]
    assert [r[0] for r in rows] == [early.number, queried.number, late.number]
    assert [i.number for i in waiting(provider=late.provider)] == ["L"]
    assert [i.number for i in waiting(period_from=day(8))] == []
    assert [i.number for i in waiting(period_to=day(1))] == ["E", "Q", "L"]


def test_an_order_is_found_by_its_number_as_typed(person):
    order = order_for(person)
    second = revise(order, period_start=day(8))
    assert order_by_number(order.number) == second  # the latest, without a revision
    assert order_by_number(f"  {order.number.lower()}  revision   1 ") == order
    assert order_by_number(f"{order.number} REVISION 2") == second


@pytest.mark.parametrize(
    "typed", ["", "PO-27-000001", "PO-2027-0001", "PO-2027-000001 rev 2", "x" * 500, "PO–2027–000001"]
)
def test_another_shape_says_how_to_type_it(typed):
    with pytest.raises(OrderNumberError, match="as it is printed on the order"):
        order_by_number(typed)
