"""Purchase orders of services other than home care as rows (their revisions, closing and suspensions), and invoices
recorded against them, for the invoices tests. How orders are issued is purchase_orders' and packages' own tests'
business."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from brokerage.tests.factories import spot_agreement
from catalogue.codes import ServiceCode
from packages.models import CarePackage
from purchase_orders.models import PurchaseOrder

START = date(2027, 3, 1)  # a Monday
_sequence = count(500)


def order_for(
    person,
    *,
    start: date = START,
    weekly_cost: str = "700.00",
    service_type: str = ServiceCode.RESIDENTIAL,
    provider=None,
    period_end: date | None = None,
) -> PurchaseOrder:
    """Revision 1 of a new order to `provider` (a new one by default) from `start`, open-ended."""
    agreement = spot_agreement(
        person, service_type=service_type, start=start, provider=provider, weekly_cost=Decimal(weekly_cost)
    )
    return PurchaseOrder.objects.create(
        agreement=agreement,
        year=2027,
        sequence=next(_sequence),
        provider=agreement.provider,
        service_type=service_type,
        period_start=start,
        period_end=period_end,
        weekly_cost=Decimal(weekly_cost),
        issued_by=person.allocated_worker,
    )


def revise(order, *, period_start: date, weekly_cost: str | None = None, **fields) -> PurchaseOrder:
    """A revision superseding `order` from `period_start`, at `weekly_cost` (or the same)."""
    order.status = PurchaseOrder.Status.SUPERSEDED
    order.save(update_fields=["status"])
    return PurchaseOrder.objects.create(
        agreement=order.agreement,
        year=order.year,
        sequence=order.sequence,
        revision=order.revision + 1,
        supersedes=order,
        provider=order.provider,
        service_type=order.service_type,
        period_start=period_start,
        weekly_cost=Decimal(weekly_cost) if weekly_cost else order.weekly_cost,
        care_package_id=order.care_package_id,
        issued_by=order.issued_by,
        **fields,
    )


def close(order, *, last_day: date) -> PurchaseOrder:
    order.status = PurchaseOrder.Status.CLOSED
    order.last_day = last_day
    order.save(update_fields=["status", "last_day"])
    return order


def with_package(order) -> CarePackage:
    """A care package the order pays for (its id kept on the order, as packages does)."""
    agreement = order.agreement
    package = CarePackage.objects.create(
        person=agreement.person,
        service_type_id=order.service_type,
        referral=agreement.referral,
        team_id=agreement.person.team_id,
        state=CarePackage.State.ACTIVE,
    )
    PurchaseOrder.objects.filter(year=order.year, sequence=order.sequence).update(care_package_id=package.pk)
    order.care_package_id = package.pk
    return package


def day(n: int) -> date:
    """The nth of March 2027."""
    return START + timedelta(days=n - 1)


def record(order, finance_officer, *, number="INV-1", first=None, last=None, amount="700.00", received_on=None):
    from invoices.services import record_invoice

    return record_invoice(
        acting_user=finance_officer,
        purchase_order=order,
        number=number,
        period_start=first or day(1),
        period_end=last or day(7),
        amount=Decimal(amount),
        received_on=received_on or day(10),
    )
