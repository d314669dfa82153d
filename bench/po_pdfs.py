"""How fast are purchase order PDFs made, and does the officer wait for one?

    .venv/bin/python bench/po_pdfs.py        (or `make bench`)

Runs against its own throwaway database, `brokerage_bench_po`, on the same PostgreSQL server as the
settings name (the embedded one in .pgdata/ unless DATABASE_URL is set); dev data is never touched.
PDFs go to a temporary directory. Cases are taken through the services, as officers take them.

1. PDFs per second in one process: one order rendered N times with render_purchase_order_pdf (after
   one warm-up render, which loads fonts).
2. The award and purchase order requests through the test client, as the allocated officer, with
   tasks on the background thread (no TASKS_RUN_INLINE, no REDIS_URL), as a single-process deploy
   runs: the purchase order request must return before its PDF is made.

Progress goes to stderr; the figures are printed last on stdout, one per line, as `name: value unit`.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: collectstatic is not needed here

import django  # noqa: E402

django.setup()

from _throwaway_db import create_bench_database, drop_bench_database  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

BENCH_DB = "brokerage_bench_po"
PASSWORD = "bench-password-2026"
PDFS = 40  # renders timed in one process
REQUEST_CASES = 10  # timed award and purchase order requests, each on a fresh case (after one warm-up)
PDF_WAIT_SECONDS = 120


def log(message: str) -> None:
    print(f"bench/po_pdfs: {message}", file=sys.stderr, flush=True)


# --- Cases, through the services ----------------------------------------------------------------
def make_world() -> dict:
    from accounts.services import create_staff_user
    from brokerage.models import Area
    from catalogue.models import Team
    from dps.models import PurchasingArrangement
    from providers.models import Provider, ProviderService

    def staff(username, roles, **fields):
        return create_staff_user(
            username=username, password=PASSWORD, roles=roles, email=f"{username}@riverside.example.gov.uk", **fields
        )

    arrangement = PurchasingArrangement.objects.create(
        name="Home care DPS", kind="dps", service_type_id="home_care", starts_on=date(2023, 4, 1)
    )
    bidders = []
    for n, name in enumerate(["Riverside Home Care Ltd", "Eastbrook Care Services Ltd"]):
        provider = Provider.objects.create(name=name, cqc_rating="good", cqc_registration_number=f"1-10000000{n}")
        ProviderService.objects.create(
            provider=provider,
            service_type_id="home_care",
            arrangement=arrangement,
            districts=["E1"],
            weekly_hours_capacity=200,
        )
        bidders.append(staff(f"provider{n}", ["provider_user"], provider=provider))
    return {
        "area": Area.objects.create(name="Eastbrook", team=Team.objects.get_or_create(code="east", name="East")[0]),
        "social_worker": staff("social.worker", ["social_worker"], first_name="Sam", last_name="Worker"),
        "cap": staff("cap.member", ["cap_member"]),
        "officer": staff("officer.east", ["brokerage_officer"], team="east", first_name="Erin", last_name="East"),
        "arrangement": arrangement,
        "bidders": bidders,
    }


def selected_case(world: dict, n: int):
    """A funded 10-hour home care plan, published, bid on, closed, scored and a provider chosen."""
    from commissioning import services as commissioning
    from commissioning.models import Commission
    from dps import services as dps
    from dps.models import BidAnswer, DPSRequirement
    from people import services as people
    from referrals import services as referrals
    from referrals.models import Referral

    worker, officer = world["social_worker"], world["officer"]
    person = people.create_person(
        acting_user=worker,
        first_name=f"Bench{n}",
        last_name="Benchley",
        date_of_birth=date(1940, 1, 1 + n % 28),
        address_line_1=f"{n} High Street",
        town="Riverside",
        postcode="E1 6AN",
        area=world["area"],
    )
    plan = people.create_plan(
        person,
        acting_user=worker,
        service_type="home_care",
        weekly_hours=Decimal("10"),
        outcomes="To stay safely at home",
        indicative_weekly_budget=Decimal("250"),
        visit_schedule=[
            {"day": d, "time": "08:00", "minutes": 60, "carers": 1} for d in ("Monday", "Wednesday", "Friday")
        ],
    )
    referral = referrals.create_referral(
        acting_user=worker,
        person=person,
        kind="support_plan",
        service_type="home_care",
        details="New package",
        plan=plan,
    )
    referrals.record_funding_decision(
        referral, acting_user=world["cap"], decision="approved", approved_weekly_amount=Decimal("250")
    )
    referrals.take_referral(referral, acting_user=officer)
    commission = Commission.objects.get(referral=referral)
    requirement = commissioning.publish_requirement(
        commission,
        acting_user=officer,
        arrangement=world["arrangement"],
        start_date=timezone.localdate() + timedelta(days=7),
        closes_at=timezone.now() + timedelta(days=2),
        summary="Morning visits for an older person living alone.",
        outcomes=["Supports the person to wash and dress", "Prompts medication"],
        quality_weight=60,
    )
    answers = {o.pk: "We will, with a regular team." for o in requirement.outcomes.all()}
    bids = [
        dps.submit_bid(requirement, acting_user=user, price_basis="hourly", price=Decimal(price), answers=answers)
        for user, price in zip(world["bidders"], ["22.00", "23.50"], strict=True)
    ]
    # Bidding is over: the closing time moved back rather than waited for.
    DPSRequirement.objects.filter(pk=requirement.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    commissioning.close_bidding(commission, acting_user=officer)
    dps.score_answers(
        requirement,
        acting_user=officer,
        scores={a.pk: 4 for a in BidAnswer.objects.filter(bid__requirement=requirement)},
    )
    commissioning.select_bid(commission, acting_user=officer, bid=bids[0], reason="Best overall score")
    return Referral.objects.get(pk=referral.pk)


def active_order(world: dict):
    from commissioning import services as commissioning
    from commissioning.models import Commission

    commission = Commission.objects.get(referral=selected_case(world, 0))
    commissioning.award(commission, acting_user=world["officer"], start_date=timezone.localdate() + timedelta(days=7))
    return commissioning.issue_purchase_order(commission, acting_user=world["officer"]).purchase_order


# --- Measuring ---------------------------------------------------------------------------------
def measure_pdfs(order) -> list[str]:
    from purchase_orders.models import PurchaseOrder
    from purchase_orders.pdf import render_purchase_order_pdf

    order = PurchaseOrder.objects.select_related("agreement__person", "provider", "issued_by").get(pk=order.pk)
    render_purchase_order_pdf(order)  # warm-up: fonts and templates load once per process
    times = []
    started = time.perf_counter()
    for _ in range(PDFS):
        one = time.perf_counter()
        pdf = render_purchase_order_pdf(order)
        times.append((time.perf_counter() - one) * 1000)
    total = time.perf_counter() - started
    assert pdf.startswith(b"%PDF-")
    log(f"{PDFS} PDFs in {total:.2f} s ({len(pdf)} bytes each)")
    return [
        f"po_pdfs_per_second_per_process: {PDFS / total:.1f} pdfs/s",
        f"po_pdf_median: {statistics.median(times):.1f} ms",
    ]


def timed_post(client: Client, url: str, data=None) -> float:
    started = time.perf_counter()
    response = client.post(url, data or {})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 302:
        raise RuntimeError(f"POST {url} answered {response.status_code}: {response.content[:500]!r}")
    return elapsed


def measure_requests(world: dict) -> list[str]:
    from purchase_orders.models import PurchaseOrder

    cases = [selected_case(world, n) for n in range(1, REQUEST_CASES + 2)]  # the first is the warm-up
    client = Client()
    client.force_login(world["officer"])
    start = (timezone.localdate() + timedelta(days=7)).isoformat()
    award_times, order_times, waited = [], [], []
    settings.TASKS_RUN_INLINE = False  # as deployed without Redis: tasks on a background thread
    settings.REDIS_URL = ""
    for referral in cases:
        award_times.append(
            timed_post(
                client,
                f"/commissioning/referrals/{referral.pk}/agreement/",
                {"start_date": start, "hourly_rate": "22.00"},
            )
        )
        order_times.append(timed_post(client, f"/commissioning/referrals/{referral.pk}/purchase-order/"))
        returned_at = timezone.now()
        order = PurchaseOrder.objects.get(agreement__referral=referral)
        waited.append(order.pdf_rendered_at is not None)
        # The PDF is made on the background thread; wait for it, so the next case is timed on its own.
        deadline = time.monotonic() + PDF_WAIT_SECONDS
        while not PurchaseOrder.objects.filter(pk=order.pk, pdf_rendered_at__gt=returned_at).exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{order} has no PDF after {PDF_WAIT_SECONDS} s")
            time.sleep(0.01)
    award_times, order_times = award_times[1:], order_times[1:]
    log(f"{len(waited)} PDFs made after their requests returned; {sum(waited)} before")
    return [
        f"award_request_median: {statistics.median(award_times):.1f} ms",
        f"purchase_order_request_median: {statistics.median(order_times):.1f} ms",
        f"po_request_waited_for_pdf: {'yes' if any(waited) else 'no'}",
    ]


def main() -> int:
    from core.tasks import _executor

    log(f"creating database {BENCH_DB}")
    create_bench_database(BENCH_DB)
    media = tempfile.mkdtemp(prefix="bench-po-")
    try:
        with override_settings(MEDIA_ROOT=media, TASKS_RUN_INLINE=True, ALLOWED_HOSTS=["testserver"]):
            call_command("migrate", verbosity=0, interactive=False)
            world = make_world()
            log("one case through to its purchase order")
            order = active_order(world)
            figures = measure_pdfs(order)
            log(f"{REQUEST_CASES + 1} fresh cases for the award and purchase order requests")
            figures += measure_requests(world)
    finally:
        _executor.shutdown(wait=True)  # no background task may outlive the database
        log(f"dropping database {BENCH_DB}")
        drop_bench_database(BENCH_DB)
        shutil.rmtree(media, ignore_errors=True)

    print("\n".join(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
