"""How fast is the Brokerage task queue with 1,000 and with 100,000 referrals?

    .venv/bin/python bench/queue_page.py        (or `make bench`)

Runs against its own throwaway database, `brokerage_bench`, on the same PostgreSQL server as the
settings name (the embedded one in .pgdata/ unless DATABASE_URL is set); dev data is never touched.
Data is bulk-loaded, not made through the services. Progress goes to stderr; the figures are
printed last on stdout, one per line, as `name: value unit`.
"""

import os
import statistics
import sys
import time
import warnings
from datetime import date, timedelta
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

BENCH_DB = "brokerage_bench"
PASSWORD = "bench-password-2026"
PERSONS = 4_000
SMALL, LARGE = 1_000, 100_000
RUNS = 9  # timed requests per page; the median is reported
PAGES = {  # figure name -> URL
    "queue_page": "/brokerage/queue/",
    "queue_page_mine": "/brokerage/queue/?view=mine",
    "queue_page_overdue": "/brokerage/queue/?overdue=on",
}


def log(message: str) -> None:
    print(f"bench/queue_page: {message}", file=sys.stderr, flush=True)


# --- Data --------------------------------------------------------------------------------------
def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def make_staff():
    from accounts.services import create_staff_user
    from brokerage.models import Area
    from catalogue.models import Team

    for code in ("east", "west"):
        Team.objects.get_or_create(code=code, defaults={"name": code.title()})
    east, _ = Area.objects.get_or_create(name="East", defaults={"team_id": "east"})
    west, _ = Area.objects.get_or_create(name="West", defaults={"team_id": "west"})
    officer = create_staff_user(
        username="officer.east",
        password=PASSWORD,
        roles=["brokerage_officer"],
        team="east",
        first_name="Erin",
        last_name="East",
    )
    officer_west = create_staff_user(
        username="officer.west",
        password=PASSWORD,
        roles=["brokerage_officer"],
        team="west",
        first_name="Wes",
        last_name="West",
    )
    social_worker = create_staff_user(
        username="social.worker", password=PASSWORD, roles=["social_worker"], first_name="Sam", last_name="Worker"
    )
    return {"east": east, "west": west}, {"east": officer, "west": officer_west}, social_worker


def make_people(areas, social_worker) -> list:
    from people.models import Person

    postcodes = {"east": ["E1 6AN", "E2 7DG", "E3 4QT"], "west": ["W1 2AB", "W3 6LJ", "W5 5DB"]}
    people = []
    for i in range(PERSONS):
        team = "east" if i % 2 == 0 else "west"  # even people are East; referral i goes to person i % PERSONS
        people.append(
            Person(
                first_name=f"Person{i}",
                last_name=f"Surname{i % 997}",
                date_of_birth=date(1930 + i % 60, 1 + i % 12, 1 + i % 28),
                address_line_1=f"{i} High Street",
                town="Riverside",
                postcode=postcodes[team][i % 3],
                area=areas[team],
                allocated_worker=social_worker,
                created_by=social_worker,
            )
        )
    return Person.objects.bulk_create(people, batch_size=2_000)


def make_referrals(start: int, stop: int, people: list, officers: dict, social_worker) -> None:
    """Referrals start..stop-1: 70% in the team queue, 20% with an officer, 10% options returned."""
    from referrals.models import Referral

    now = timezone.now()
    batch = []
    for i in range(start, stop):
        person = people[i % len(people)]
        team = "east" if i % 2 == 0 else "west"
        queued_at = now - timedelta(minutes=5 * i)  # 100,000 referrals cover about a year
        kwargs = {}
        bucket = i % 10
        if bucket < 7:
            kwargs["state"] = "queued"
        else:
            kwargs.update(
                state="allocated" if bucket < 9 else "options_returned",
                allocated_to=officers[team],
                allocated_at=queued_at + timedelta(hours=2),
            )
        urgent = i % 10 == 0
        batch.append(
            Referral(
                person=person,
                kind="support_plan",
                service_type_id="home_care",
                details="x",
                team=team,
                referred_by=social_worker,
                created_by=social_worker,
                urgent=urgent,
                submitted_at=queued_at - timedelta(hours=1),
                queued_at=queued_at,
                due_by=queued_at + timedelta(days=1 if urgent else 14),
                **kwargs,
            )
        )
        if len(batch) == 5_000:
            Referral.objects.bulk_create(batch)
            batch = []
    if batch:
        Referral.objects.bulk_create(batch)


# --- Measuring ---------------------------------------------------------------------------------
def measure(client: Client, url: str) -> tuple[float, int]:
    """Median wall time of the request in ms (test client, no network), and its query count."""
    with CaptureQueriesContext(connection) as captured:  # also the warm-up
        response = client.get(url)
    queries = len(captured)  # now: the next request resets the connection's query log
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), queries


def measure_all(client: Client, label: str) -> list[str]:
    figures = []
    for name, url in PAGES.items():
        median, queries = measure(client, url)
        log(f"{label}: {url} {median:.1f} ms, {queries} queries")
        figures += [f"{name}_{label}_median: {median:.1f} ms", f"{name}_{label}_queries: {queries} queries"]
    return figures


def main() -> int:
    from referrals.models import Referral

    log(f"creating database {BENCH_DB}")
    create_bench_database(BENCH_DB)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        areas, officers, social_worker = make_staff()
        log(f"loading {PERSONS} people")
        people = make_people(areas, social_worker)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(officers["east"])

        log(f"loading {SMALL} referrals")
        make_referrals(0, SMALL, people, officers, social_worker)
        analyze()
        assert Referral.objects.count() == SMALL
        figures = measure_all(client, "1k")

        log(f"loading {LARGE - SMALL} more referrals")
        started = time.perf_counter()
        make_referrals(SMALL, LARGE, people, officers, social_worker)
        analyze()
        log(f"loaded in {time.perf_counter() - started:.1f} s")
        assert Referral.objects.count() == LARGE
        figures += measure_all(client, "100k")
    finally:
        log(f"dropping database {BENCH_DB}")
        drop_bench_database(BENCH_DB)

    print("\n".join(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
