"""Every page of every role, with a large county's records, and the queue page under load.

    .venv/bin/python bench/county.py        (or `make bench`)

Loads a small county (1/100) and then a large one (300,000 people, 500,000 referrals, 20,000 active
services with their care packages and purchase orders, 2,000 providers, 5,000 requirements with 20,000 bids,
3.3 million audit events, reviews, 3,000 care home placements, 3,000 reablement cases) into throwaway
databases on the configured PostgreSQL server (`brokerage_county_small`, `brokerage_county`, dropped at the
end; the embedded server in .pgdata/ unless DATABASE_URL is set). For each page it measures the server time
of RUNS requests through Django's test client (DEBUG off) and the query count; then it serves the large county
with gunicorn, as gunicorn.conf.py configures it, and measures the officer's queue page's requests a second
under a bounded load on loopback.

Progress goes to stderr. The figures are printed last, one per line:
    county_<page>_p50: N ms, county_<page>_p95: N ms, county_<page>_queries: N, small_<page>_queries: N,
    signed_in_floor_requests_per_second: N req/s, queue_requests_per_second: N req/s
It exits non-zero if a page's query count differs between the two scales. BENCH_DUMP_SQL=<folder> writes each
page's queries there, to see why; COUNTY_SCALE=0.1 runs a smaller county, for trying things out.
"""

import os
import statistics
import subprocess
import sys
import threading
import time
import warnings
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: collectstatic is not needed here

import django  # noqa: E402

django.setup()

from _county_data import load  # noqa: E402
from _throwaway_db import create_bench_database, drop_bench_database  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = 20  # timed requests per page, after one warm-up
LOAD_SECONDS = 20
LOAD_CLIENTS = 16
PORT = 8719
FLOOR_PAGE = "/referrals/how-referrals-work/"


def log(message: str) -> None:
    print(f"bench/county: {message}", file=sys.stderr, flush=True)


def pages() -> list[tuple[str, str, str]]:
    """(figure name, username, URL) for every list, queue, home and detail page of every role.

    The objects are chosen by what each role has work for, so both scales measure the same pages."""
    from accounts.models import User
    from concerns.models import Concern
    from dps.models import Bid, DPSRequirement
    from people.models import Person
    from providers.models import Provider
    from purchase_orders.models import PurchaseOrder
    from referrals.models import Referral

    officer = User.objects.get(username="officer.east")
    sw = User.objects.get(username="social.worker")
    mine = (
        Referral.objects.filter(allocated_to=officer, commission__state="requirement_published").order_by("id").first()
    )
    # A person whose funded plan is being worked, at both scales alike: the plan page then shows a decision.
    sw_person = (
        Person.objects.filter(
            allocated_worker=sw,
            referrals__state="allocated",
            referrals__team="east",
            plans__approvals__state="approved",
        )
        .order_by("id")
        .first()
    )
    sw_referral = sw_person.referrals.order_by("id").first()
    plan = sw_person.plans.first()
    awaiting = Referral.objects.filter(state="awaiting_funding").order_by("id").first()
    concern = Concern.objects.filter(kind="safeguarding", status="open").order_by("id").first()
    requirement = mine.requirements.get()
    big = Provider.objects.get(pk=1)
    open_to_big = DPSRequirement.objects.filter(status="open", bids__provider=big).order_by("id").first()
    lost = Bid.objects.filter(provider=big, requirement__status="awarded").order_by("id").first().requirement
    agreement = big.agreements.order_by("id").first()
    from core.pagination import cursor_for
    from people.selectors import NAME_ORDER
    from purchase_orders.selectors import ORDERS_NEWEST_FIRST

    # The deepest pages, by key: the 50 oldest orders, and the people at the end of the alphabet.
    oldest = cursor_for(PurchaseOrder.objects.order_by("issued_at", "id")[50], ORDERS_NEWEST_FIRST)
    last_names = cursor_for(Person.objects.order_by("-last_name", "-first_name", "-id")[25], NAME_ORDER)
    from audit.selectors import audit_events_for_person
    from people.views import HISTORY_ORDER, HISTORY_SHOWN

    # The second page of the longest history measured: the events before the newest page's last.
    newest = audit_events_for_person(mine.person, limit=HISTORY_SHOWN)
    older_history = cursor_for(newest[-1], HISTORY_ORDER)
    from django.db.models import Count

    from packages.models import CarePackage
    from placements.models import Placement
    from reablement.models import ReablementCase
    from reviews.models import Review

    # A home care package of the east team changed once (two versions), with its reviews.
    package = (
        CarePackage.objects.filter(team="east", service_type="home_care", versions__purchase_order__isnull=True)
        .order_by("id")
        .first()
    )
    # The social worker sees the packages of the people allocated to them: one changed once, if they have one.
    sw_package = (
        CarePackage.objects.filter(person__allocated_worker=sw, service_type="home_care")
        .annotate(versions_count=Count("versions"))
        .order_by("-versions_count", "id")
        .first()
    )
    six_week = Review.objects.filter(assigned_to=sw, state="scheduled").order_by("id").first()
    twelve_month = Review.objects.filter(kind="twelve_month", state="scheduled").order_by("id").first()
    # A placement negotiating its fee (homes viewed, an assessment, offers), and one waiting for a fee approval.
    negotiating = Placement.objects.filter(state="negotiating", team="east").order_by("id").first()
    fee_decision = Placement.objects.filter(state="awaiting_fee_approval").order_by("id").first()
    commissioned = Placement.objects.filter(state="commissioned", team="east").order_by("id").first()
    # A reablement case with Brokerage whose re-assessment is waiting to be applied.
    reassessed = ReablementCase.objects.filter(state="change_requested").order_by("id").first()
    return [
        ("sw_home", "social.worker", "/"),
        ("sw_people", "social.worker", "/people/"),
        ("sw_people_search", "social.worker", f"/people/?q={sw_person.last_name[:5]}"),
        ("sw_person", "social.worker", f"/people/{sw_person.pk}/"),
        ("sw_person_history", "social.worker", f"/people/{sw_person.pk}/history/"),
        ("sw_plan", "social.worker", f"/people/{sw_person.pk}/plans/{plan.pk}/"),
        ("sw_referral", "social.worker", f"/referrals/{sw_referral.pk}/"),
        ("officer_home", "officer.east", "/"),
        ("officer_queue", "officer.east", "/brokerage/queue/"),
        ("officer_queue_mine", "officer.east", "/brokerage/queue/?view=mine"),
        ("officer_queue_overdue", "officer.east", "/brokerage/queue/?overdue=on"),
        ("officer_people", "officer.east", "/people/"),
        ("officer_people_last_page", "officer.east", f"/people/?after={last_names}"),
        ("officer_people_search", "officer.east", "/people/?q=Thomp"),
        ("officer_people_nhs_search", "officer.east", f"/people/?q={mine.person.nhs_number}"),
        ("officer_person", "officer.east", f"/people/{mine.person_id}/"),
        ("officer_referral", "officer.east", f"/referrals/{mine.pk}/"),
        ("officer_requirement", "officer.east", f"/dps/requirements/{requirement.pk}/"),
        ("officer_shortlist", "officer.east", f"/providers/shortlist/{mine.pk}/"),
        ("officer_providers", "officer.east", "/providers/"),
        ("officer_provider", "officer.east", f"/providers/{big.pk}/"),
        ("lead_home", "lead.east", "/"),
        ("lead_queue_team", "lead.east", "/brokerage/queue/?view=team"),
        ("lead_person_history", "lead.east", f"/people/{mine.person_id}/history/"),
        ("lead_person_history_older", "lead.east", f"/people/{mine.person_id}/history/?older_than={older_history}"),
        ("panel_home", "cap.member", "/"),
        ("panel_funding_list", "cap.member", "/referrals/funding/"),
        ("panel_funding_form", "cap.member", f"/referrals/{awaiting.pk}/funding/"),
        ("head_home", "head.of.service", "/"),
        ("head_funding_list", "head.of.service", "/referrals/funding/"),
        ("first_response_home", "first.response", "/"),
        ("first_response_inbox", "first.response", "/concerns/"),
        ("first_response_concern", "first.response", f"/concerns/{concern.pk}/"),
        ("monitoring_inbox", "monitoring.officer", "/concerns/"),
        ("contract_inbox", "contract.monitoring", "/concerns/"),
        ("dps_notices", "dps.team", "/dps/notices/"),
        ("dps_providers", "dps.team", "/providers/"),
        ("finance_home", "finance.officer", "/"),
        ("finance_orders", "finance.officer", "/purchase-orders/"),
        ("finance_orders_last_page", "finance.officer", f"/purchase-orders/?after={oldest}"),
        ("review_home", "review.team", "/"),
        ("spa_home", "spa.worker", "/"),
        ("officer_package", "officer.east", f"/packages/{package.pk}/"),
        ("officer_placement", "officer.east", f"/placements/{negotiating.pk}/"),
        ("officer_placement_commissioned", "officer.east", f"/placements/{commissioned.pk}/"),
        ("officer_reablement_case", "officer.east", f"/reablement/{reassessed.pk}/"),
        ("sw_review", "social.worker", f"/reviews/{six_week.pk}/"),
        ("sw_package", "social.worker", f"/packages/{sw_package.pk}/"),
        ("review_team_review", "review.team", f"/reviews/{twelve_month.pk}/"),
        ("head_placement_fee", "head.of.service", f"/placements/{fee_decision.pk}/"),
        ("spa_reablement_list", "spa.worker", "/reablement/"),
        ("spa_reablement_case", "spa.worker", f"/reablement/{reassessed.pk}/"),
        ("workflow", "social.worker", "/referrals/how-referrals-work/"),
        ("portal_home", "provider.user", "/portal/"),
        ("portal_requirements", "provider.user", "/portal/requirements/"),
        ("portal_bids", "provider.user", "/portal/bids/"),
        ("portal_agreements", "provider.user", "/portal/agreements/"),
        ("portal_requirement", "provider.user", f"/portal/requirements/{open_to_big.pk}/"),
        ("portal_bid_outcome", "provider.user", f"/portal/requirements/{lost.pk}/"),
        ("portal_agreement", "provider.user", f"/portal/agreements/{agreement.pk}/"),
    ]


def measure(clients: dict, label: str, name: str, username: str, url: str) -> dict:
    if username not in clients:
        from accounts.models import User

        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    client = clients[username]
    response = client.get(url)  # the warm-up: process-wide caches (content types) fill once, not per request
    reset_queries()  # as each request does, so that the capture below counts from zero
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # now: the capture reads the connection's log, which the next request empties
    if dump := os.environ.get("BENCH_DUMP_SQL"):  # a folder: each page's queries, to see why counts differ
        Path(dump).mkdir(parents=True, exist_ok=True)
        (Path(dump) / f"{label}_{name}.sql").write_text("\n".join(q["sql"] for q in captured.captured_queries))
    if response.status_code != 200:
        raise RuntimeError(
            f"{name}: GET {url} as {username} answered {response.status_code} {response.get('Location', '')}"
        )
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))], "queries": queries}


def measure_scale(label: str, scale: float, database: str) -> dict[str, dict]:
    log(f"{label}: creating {database}")
    create_bench_database(database)
    ContentType.objects.clear_cache()  # ids belong to the database
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    load(scale, lambda message: log(f"{label}: {message}"))
    log(f"{label}: loaded in {time.perf_counter() - started:.0f} s")
    results, clients = {}, {}
    for name, username, url in pages():
        results[name] = measure(clients, label, name, username, url)
        r = results[name]
        log(f"{label}: {name:28} p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  {r['queries']:2} queries  {url}")
    return results


# --- Under load ------------------------------------------------------------------------------------
def session_cookie(username: str) -> str:
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get("/")  # starts the session clock (core.middleware)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def requests_per_second(database: str, paths: list[str]) -> dict[str, float]:
    """Each page's requests a second from gunicorn (gunicorn.conf.py) under LOAD_CLIENTS keep-alive clients."""
    db = settings.DATABASES["default"]
    host = db.get("HOST") or "127.0.0.1"
    url = f"postgres://{db.get('USER') or 'postgres'}@{'%2F'.join(host.split('/')) if host.startswith('/') else host}"
    url += f":{db['PORT']}" if db.get("PORT") else ""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"{url}/{database}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie('officer.east')}"
    log("collectstatic, as a deployment does")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        headers = {"Cookie": cookie, "X-Forwarded-Proto": "https"}
        deadline = time.monotonic() + 30
        while True:
            try:
                probe = HTTPConnection("127.0.0.1", PORT, timeout=5)
                probe.request("GET", paths[0], headers=headers)
                status = probe.getresponse().status
                if status != 200:
                    raise RuntimeError(f"gunicorn answered {status} for {paths[0]}")
                break
            except ConnectionRefusedError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: {server.stderr.read()[-2000:]}") from None
                time.sleep(0.2)
        return {path: _under_load(path, headers) for path in paths}
    finally:
        server.terminate()
        server.wait(30)


def _under_load(path: str, headers: dict) -> float:
    counts, errors, stop = [0] * LOAD_CLIENTS, [], threading.Event()

    def hammer(i: int) -> None:
        conn = HTTPConnection("127.0.0.1", PORT, timeout=30)
        while not stop.is_set():
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
            else:
                counts[i] += 1

    threads = [threading.Thread(target=hammer, args=(i,), daemon=True) for i in range(LOAD_CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(3)  # warm every worker
    before, started = sum(counts), time.perf_counter()
    time.sleep(LOAD_SECONDS)
    done, elapsed = sum(counts) - before, time.perf_counter() - started
    stop.set()
    for thread in threads:
        thread.join(10)
    if errors:
        raise RuntimeError(f"{len(errors)} requests to {path} failed under load: {sorted(set(errors))}")
    return done / elapsed


def main() -> int:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    small_db, county_db = "brokerage_county_small", "brokerage_county"
    begun = time.perf_counter()
    try:
        small = measure_scale("small", 0.01, small_db)
        drop_bench_database(small_db)
        county = measure_scale("county", float(os.environ.get("COUNTY_SCALE", "1")), county_db)
        log("queue page under load (gunicorn)")
        # The queue page, and beside it the cheapest signed-in page (no list, one query for the user): the
        # most any page can do on this machine with the middleware, session and base template every page has.
        rps = requests_per_second(county_db, ["/brokerage/queue/", FLOOR_PAGE])
    finally:
        drop_bench_database(small_db)
        drop_bench_database(county_db)
    log(f"finished in {time.perf_counter() - begun:.0f} s")

    figures, differing = [], []
    for name, r in county.items():
        figures += [
            f"county_{name}_p50: {r['p50']:.1f} ms",
            f"county_{name}_p95: {r['p95']:.1f} ms",
            f"county_{name}_queries: {r['queries']}",
            f"small_{name}_queries: {small[name]['queries']}",
        ]
        if r["queries"] != small[name]["queries"]:
            differing.append(name)
    figures.append(f"signed_in_floor_requests_per_second: {rps[FLOOR_PAGE]:.0f} req/s")
    figures.append(f"queue_requests_per_second: {rps['/brokerage/queue/']:.0f} req/s")
    print("\n".join(figures))
    if differing:
        log(f"query counts grow with the data on: {', '.join(differing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
