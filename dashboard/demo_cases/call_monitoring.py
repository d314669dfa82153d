"""Paying for home care in the demo: five people have had home care for four weeks (three from Homely Hands, two from
Brightcare Homecare Ltd, Monday, Wednesday and Friday mornings). Last week's visits are planned, the call monitoring
file for it is imported with the faults such files have, and the week is reconciled: a late visit already accepted,
and a missed, a short, a duplicate and an unplanned visit for finance.officer to decide. No payment run yet: making
one is finance.officer's next step (Payable and payment runs)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from brokerage.models import ServiceAgreement
from finance import services as finance_services
from finance.importing import run as run_import
from finance.models import PlannedVisit, VisitLine
from finance.reconciliation import decide_exception, reconcile
from packages.models import PackageAgreement, PackageVersion
from packages.selectors import package_for_referral
from purchase_orders.models import PurchaseOrder

from .common import running_home_care

LONDON = ZoneInfo("Europe/London")
RUNNING_FOR = timedelta(weeks=4)
PEOPLE = [
    ("Alma", "Reyes", "Homely Hands"),
    ("Bert", "Sowerby", "Homely Hands"),
    ("Cora", "Tindall", "Homely Hands"),
    ("Dai", "Upton", "Brightcare Homecare Ltd"),
    ("Enid", "Vance", "Brightcare Homecare Ltd"),
]


def _began_weeks_ago(package) -> None:
    """The package as if commissioned four weeks ago, so last week's visits were due: demo data only."""
    began = timezone.localdate() - RUNNING_FOR
    version = PackageVersion.objects.get(package=package)
    PackageVersion.objects.filter(pk=version.pk).update(valid_from=began)
    PackageAgreement.objects.filter(package=package).update(valid_from=began)
    ServiceAgreement.objects.filter(pk=version.agreement_id).update(start_date=began)
    PurchaseOrder.objects.filter(care_package_id=package.pk).update(period_start=began)


def _row(package_id, provider_id, start, minutes, carer, method="app") -> str:
    end = start + timedelta(minutes=minutes)
    return f"{provider_id},CP-{package_id:06d},{carer},{start.isoformat()},{end.isoformat()},{method}"


def _logged(visit, *, carer, late=0, minutes=None) -> str:
    """The planned visit as its carer logged it: `late` minutes after its start, for `minutes` (as planned)."""
    start = visit.planned_start + timedelta(minutes=late)
    return _row(visit.package_id, visit.provider_id, start, visit.minutes if minutes is None else minutes, carer)


def seed(*, users, person, plan, providers):
    sw, officer, cap, finance = (
        users["social.worker"],
        users["officer.east"],
        users["cap.member"],
        users["finance.officer"],
    )
    packages = []
    for n, (first, last, provider) in enumerate(PEOPLE):
        someone = person(sw, first, last, datetime(1936 + n, 3, 10 + n).date(), "Eastbrook", f"E1 {n + 2}QD", "")
        commission = running_home_care(
            someone, plan, officer=officer, funder=cap, hours=Decimal("2.25"), provider=provider
        )
        package = package_for_referral(commission.referral_id)
        _began_weeks_ago(package)
        packages.append(package)

    today = timezone.localdate()
    last = today - timedelta(days=today.isoweekday())  # last Sunday
    first = last - timedelta(days=6)
    finance_services.generate_planned_visits(first, last, acting_user=finance)
    planned = {
        p.pk: list(PlannedVisit.objects.filter(package=p, day__range=(first, last)).order_by("planned_start"))
        for p in packages
    }
    alma, bert, cora, dai, enid = (planned[p.pk] for p in packages)
    rows = [_logged(v, late=jitter, carer="HH-011") for v, jitter in zip(alma, (2, 5, -3), strict=False)]
    rows += [_logged(bert[0], late=1, carer="HH-014"), _logged(bert[2], late=40, carer="HH-014")]  # Wed. missed
    rows += [
        _logged(cora[0], minutes=20, carer="HH-020"),  # short
        _logged(cora[0], late=10, carer="HH-020"),  # the same carer logged again inside the visit: a duplicate
        *(_logged(v, late=4, carer="HH-020") for v in cora[1:]),
    ]
    rows += [_logged(v, late=-2, carer="BC-101") for v in dai]
    saturday = datetime.combine(first + timedelta(days=5), datetime.min.time(), tzinfo=LONDON).replace(hour=10)
    rows.append(_row(dai[0].package_id, dai[0].provider_id, saturday, 30, "BC-101", "manual"))  # unplanned
    rows += [_logged(v, late=3, carer="BC-107") for v in enid]
    content = ("provider_id,package_reference,carer_id,check_in,check_out,method\n" + "\n".join(rows) + "\n").encode()
    upload = finance_services.upload_call_monitoring_file(
        content, file_name=f"call-monitoring-{first:%Y-%m-%d}.csv", acting_user=finance
    )
    run_import(upload.call_monitoring_import.pk)  # now, not after the demo's transaction commits: it is reconciled next
    reconcile(first, last, acting_user=finance)
    late = VisitLine.objects.get(package=packages[1], outcome="late")
    decide_exception(
        late.pk, "accept", note="The carer was held up by an emergency at the visit before: paid.", acting_user=finance
    )
