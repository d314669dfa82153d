"""Every URL × every role, with other people's ids. A URL added without a row here fails
`test_every_url_is_in_the_matrix`."""

import importlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import create_staff_user
from brokerage.models import Area
from catalogue.codes import ServiceCode
from concerns.models import Concern
from concerns.services import raise_concern
from core.permissions import all_rules, rule_for
from core.tests.forms import date_fields, fresh_token
from core.tests.matrix import (
    ALL,
    BROKERAGE,
    INBOX,
    LOGGED_IN,
    PRACTITIONERS,
    ROLES,
    SEES_A,
    SEES_B,
    SEES_C,
    STAFF,
    TEAM_EAST,
    TEAM_EAST_302,
    expect,
    gate,
)
from people import services as people_services
from referrals import services as referral_services
from referrals.models import Referral, ReferralTransition


@pytest.fixture
def world(db, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from providers.tests.factories import ProviderFactory

    provider = ProviderFactory()
    users = {
        name: create_staff_user(
            username=name,
            password="pw-not-used-123",
            roles=roles,
            team=team,
            provider=provider if Role.PROVIDER_USER in roles else None,
        )
        for name, (roles, team) in ROLES.items()
    }
    east = Area.objects.create(name="Eastbrook", team_id="east")
    west = Area.objects.create(name="Westgate", team_id="west")

    def person(worker, area, last):
        return people_services.create_person(
            acting_user=worker,
            first_name="Test",
            last_name=last,
            date_of_birth=date(1940, 1, 1),
            address_line_1="1 High Street",
            town="Riverside",
            postcode="E1 6AN",
            area=area,
        )

    a = person(users["sw"], east, "Able")
    plan_a = people_services.create_plan(
        a,
        acting_user=users["sw"],
        service_type=ServiceCode.HOME_CARE,
        outcomes="Stay at home",
        weekly_hours=Decimal("7"),
    )
    ra = referral_services.create_referral(
        acting_user=users["sw"],
        person=a,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=ServiceCode.HOME_CARE,
        details="x",
        plan=plan_a,
    )
    referral_services.record_funding_decision(
        ra, acting_user=users["cap"], decision="approved", approved_weekly_amount=Decimal("100")
    )
    b = person(users["sw2"], west, "Baker")
    plan_b = people_services.create_plan(b, acting_user=users["sw2"], service_type=ServiceCode.HOME_CARE, outcomes="x")
    rb = referral_services.create_referral(
        acting_user=users["sw2"],
        person=b,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=ServiceCode.HOME_CARE,
        details="x",
        plan=plan_b,
    )
    concern = raise_concern(acting_user=users["officer_east"], person=a, kind=Concern.Kind.SAFEGUARDING, details="x")
    return {
        "east": east,
        "users": users,
        "a": a,
        "plan_a": plan_a,
        "ra": ra.__class__.objects.get(pk=ra.pk),
        "b": b,
        "rb": rb,
        "concern": concern,
        **_active_case(users, a, provider, django_capture_on_commit_callbacks),
        "reablement": _reablement_case(users, east),
    }


def _reablement_case(users, area):
    """SPA's reablement case for a person it recorded, its plan sent to the East team's queue."""
    from reablement import services as reablement

    spa = users["spa"]
    case = reablement.record_hospital_referral(
        acting_user=spa,
        new_person={
            "first_name": "Test",
            "last_name": "Carr",
            "date_of_birth": date(1944, 2, 2),
            "address_line_1": "2 High Street",
            "town": "Riverside",
            "postcode": "E1 6AN",
            "area": area,
        },
        hospital="Riverside General",
        ward="Elm",
        referred_by_name="Discharge coordinator",
        expected_discharge=date.today(),
        needs="x",
    )
    case = reablement.accept_case(case, acting_user=spa)
    case = reablement.write_plan(
        case,
        acting_user=spa,
        weekly_hours=Decimal("4"),
        start_date=date.today(),
        worker=spa,
        days=[(1, Decimal("2"), 1), (3, Decimal("2"), 1)],
    )
    return reablement.send_to_brokerage(case, acting_user=spa)


def _active_case(users, person, provider, capture_on_commit):
    """A second referral for person A taken all the way to an active service with a purchase order."""
    import time_machine
    from django.utils import timezone

    from commissioning import services as commissioning
    from dps import services as dps
    from dps.models import PurchasingArrangement, SpotContractNotice
    from packages.selectors import package_for_agreement
    from providers.tests.factories import ProviderServiceFactory
    from reviews.services import schedule_review

    arrangement = PurchasingArrangement.objects.create(
        name="Home care DPS", kind="dps", service_type_id="home_care", starts_on=date(2023, 4, 1)
    )
    ProviderServiceFactory(provider=provider, arrangement=arrangement, districts=["E1"])
    plan = people_services.create_plan(
        person,
        acting_user=users["sw"],
        service_type=ServiceCode.HOME_CARE,
        outcomes="Wash and dress",
        weekly_hours=Decimal("5"),
    )
    referral = referral_services.create_referral(
        acting_user=users["sw"],
        person=person,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type="home_care",
        details="x",
        plan=plan,
    )
    referral_services.record_funding_decision(
        referral, acting_user=users["cap"], decision="approved", approved_weekly_amount=Decimal("200")
    )
    referral_services.take_referral(referral, acting_user=users["officer_east"])
    commission = Referral.objects.get(pk=referral.pk).commission
    requirement = commissioning.publish_requirement(
        commission,
        acting_user=users["officer_east"],
        arrangement=arrangement,
        start_date=timezone.localdate() + timedelta(days=3),
        closes_at=timezone.now() + timedelta(hours=2),
        summary="Morning visits",
        outcomes=["Personal care"],
        quality_weight=60,
    )
    bid = dps.submit_bid(
        requirement,
        acting_user=users["provider"],
        price_basis="hourly",
        price=Decimal("25"),
        answers={requirement.outcomes.get().pk: "We can"},
    )
    with time_machine.travel(timezone.now() + timedelta(hours=3)), capture_on_commit(execute=True):
        commissioning.close_bidding(commission, acting_user=users["officer_east"])
        dps.score_answers(requirement, acting_user=users["officer_east"], scores={bid.answers.get().pk: 4})
        commissioning.select_bid(commission, acting_user=users["officer_east"], bid=bid, reason="Only bid, good answer")
        agreement = commissioning.award(commission, acting_user=users["officer_east"], start_date=timezone.localdate())
        order = commissioning.issue_purchase_order(commission, acting_user=users["officer_east"]).purchase_order
    notice = SpotContractNotice.objects.create(
        provider=provider, referral=referral, service_type_id="home_care", reason="x", raised_by=users["officer_east"]
    )
    package = package_for_agreement(agreement)
    review = schedule_review(
        package=package,
        kind="six_week",
        due_on=timezone.localdate() + timedelta(days=42),
        assigned_to=users["sw"],
        acting_user=users["officer_east"],
    )
    # A suspension of that package, taken by officer_east: its change waits to be arranged.
    suspension = referral_services.create_referral(
        acting_user=users["sw"],
        person=person,
        kind=Referral.Kind.CHANGE,
        change=Referral.Change.SUSPEND,
        service_type="home_care",
        details="In hospital",
        effective_date=timezone.localdate() + timedelta(days=10),
    )
    referral_services.take_referral(suspension, acting_user=users["officer_east"])
    # A change of provider for the same package, in its challenge: the provider's explanation attached as a PDF.
    from django.core.files.uploadedfile import SimpleUploadedFile

    new_provider = referral_services.create_referral(
        acting_user=users["sw"],
        person=person,
        kind=Referral.Kind.CHANGE,
        change=Referral.Change.CHANGE_PROVIDER,
        service_type="home_care",
        details="Late visits",
        plan=plan,
    )
    # Its plan was funded for the first referral: it goes straight to the queue.
    referral_services.take_referral(new_provider, acting_user=users["officer_east"])
    challenged = Referral.objects.get(pk=new_provider.pk).commission
    explanation = commissioning.request_explanation(challenged, acting_user=users["officer_east"], from_whom="provider")
    commissioning.attach_explanation(
        explanation,
        acting_user=users["officer_east"],
        received_on=timezone.localdate(),
        text="Short of staff",
        document=SimpleUploadedFile("reply.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    return {
        "rp": Referral.objects.get(pk=new_provider.pk),
        "explanation": explanation,
        "review": review,
        "rs": Referral.objects.get(pk=suspension.pk),
        "rc": referral,
        "requirement": requirement,
        "agreement": agreement,
        "order": order,
        "notice": notice,
        "package": package,
    }


def _placement(world):
    """Person C (East, held by sw): a residential placement whose fee waits for a head of service. Made only for
    the rows that need it."""
    if "placement" not in world:
        from people.tests.factories import make_person
        from placements.tests.factories import awaiting_fee_approval

        c = make_person(world["users"]["sw"], world["east"], last_name="Carter")
        world["placement"] = awaiting_fee_approval(c, world["users"]["hos"], world["users"]["officer_east"]).placement
    return world["placement"]


# name → (args from the world, expected status by role) for GET.
GET_MATRIX = {
    "home": (lambda w: [], expect(LOGGED_IN) | {"provider": 302}),  # providers are sent to their portal
    "login": (lambda w: [], {**expect(set(), other=302), "anon": 200}),
    "logout": (lambda w: [], expect(set(), other=405)),
    "password_change": (lambda w: [], expect(LOGGED_IN)),
    "password_change_done": (lambda w: [], expect(LOGGED_IN)),
    # Resetting a forgotten password needs no sign-in; a bad link says it does not work.
    "password_reset": (lambda w: [], expect(LOGGED_IN) | {"anon": 200}),
    "password_reset_done": (lambda w: [], expect(LOGGED_IN) | {"anon": 200}),
    "password_reset_confirm": (lambda w: ["MQ", "not-a-token"], expect(LOGGED_IN) | {"anon": 200}),
    "password_reset_complete": (lambda w: [], expect(LOGGED_IN) | {"anon": 200}),
    "people:list": (lambda w: [], expect(LOGGED_IN) | {"provider": 403}),
    "people:create": (lambda w: [], expect(PRACTITIONERS, other=403)),
    "people:detail": (lambda w: [w["a"].pk], gate(STAFF, expect(SEES_A))),
    "people:edit": (lambda w: [w["a"].pk], gate(STAFF, expect({"sw"}, seen=SEES_A, seen_code=302))),
    "people:history": (lambda w: [w["a"].pk], gate(STAFF, expect({"sw", "lead_east"}, seen=SEES_A, seen_code=403))),
    "people:assessment_create": (lambda w: [w["a"].pk], gate(STAFF, expect({"sw"}, seen=SEES_A, seen_code=302))),
    "people:plan_create": (lambda w: [w["a"].pk], gate(STAFF, expect({"sw"}, seen=SEES_A, seen_code=302))),
    "people:plan_detail": (lambda w: [w["a"].pk, w["plan_a"].pk], gate(STAFF, expect(SEES_A))),
    # Plan A is locked (sent to the panel): even its practitioner is turned back.
    "people:plan_edit": (lambda w: [w["a"].pk, w["plan_a"].pk], gate(STAFF, expect(set(), seen=SEES_A, seen_code=302))),
    "people:plan_budget": (lambda w: [w["a"].pk, w["plan_a"].pk], gate(STAFF, expect(LOGGED_IN, ok_code=405))),
    "referrals:create": (lambda w: [w["a"].pk], gate(STAFF, expect({"sw"}, seen=SEES_A, seen_code=302))),
    "referrals:create_for_kind": (
        lambda w: [w["a"].pk, "longer-term-assessment"],
        gate(STAFF, expect({"sw"}, seen=SEES_A, seen_code=302)),
    ),
    "referrals:funding_list": (lambda w: [], expect({"cap", "hos"}, other=403)),
    "referrals:workflow": (lambda w: [], expect(LOGGED_IN)),
    "referrals:detail": (lambda w: [w["ra"].pk], gate(STAFF, expect(SEES_A))),
    "referrals:funding": (lambda w: [w["rb"].pk], gate({"cap", "hos"}, expect({"cap"}, seen=SEES_B, seen_code=403))),
    "referrals:take": (lambda w: [w["ra"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "referrals:allocate": (lambda w: [w["ra"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "referrals:risk": (lambda w: [w["ra"].pk], gate(PRACTITIONERS, expect(LOGGED_IN, ok_code=405))),
    "referrals:options": (lambda w: [w["ra"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "referrals:withdraw": (lambda w: [w["ra"].pk], gate(PRACTITIONERS, expect(LOGGED_IN, ok_code=405))),
    "brokerage:queue": (lambda w: [], expect(BROKERAGE, other=403)),
    "brokerage:contact_create": (lambda w: [w["ra"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "concerns:inbox": (lambda w: [], expect(INBOX, other=403)),
    "concerns:create": (lambda w: [w["a"].pk], gate(STAFF, expect(SEES_A))),
    "concerns:detail": (lambda w: [w["concern"].pk], gate(STAFF, expect({"first_response", "officer_east"}))),
    "concerns:acknowledge": (lambda w: [w["concern"].pk], gate(STAFF, expect(LOGGED_IN, ok_code=405))),
    "concerns:close": (lambda w: [w["concern"].pk], gate(STAFF, expect(LOGGED_IN, ok_code=405))),
    "admin:index": (lambda w: [], expect({"finance"}, other=302)),
    # Sourcing (A's first referral is queued, not allocated: the forms turn everyone back).
    "commissioning:publish": (
        lambda w: [w["ra"].pk],
        gate(BROKERAGE, expect(set(), seen=SEES_A, seen_code=403, other=404) | TEAM_EAST_302),
    ),
    "commissioning:republish": (
        lambda w: [w["ra"].pk],
        gate(BROKERAGE, expect(set(), seen=SEES_A, seen_code=403) | TEAM_EAST_302),
    ),
    "commissioning:spot_contract": (
        lambda w: [w["ra"].pk],
        gate(BROKERAGE, expect(set(), seen=SEES_A, seen_code=403) | TEAM_EAST_302),
    ),
    "commissioning:close_bidding": (lambda w: [w["ra"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "dps:requirement": (
        lambda w: [w["requirement"].pk],
        gate(BROKERAGE, expect(TEAM_EAST, seen=SEES_A, seen_code=403)),
    ),
    # Its bidding has closed: the allocated officer, and the team lead, are turned back with the reason.
    "dps:change_closing_time": (
        lambda w: [w["requirement"].pk],
        gate(BROKERAGE, expect(set(), seen=SEES_A, seen_code=403) | TEAM_EAST_302),
    ),
    "dps:score": (lambda w: [w["requirement"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "commissioning:select": (lambda w: [w["requirement"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "dps:notices": (lambda w: [], expect({"dps"}, other=403)),
    "dps:acknowledge_notice": (lambda w: [w["notice"].pk], gate({"dps"}, expect(LOGGED_IN, ok_code=405))),
    # Purchasing arrangements are the DPS team's.
    "arrangements:list": (lambda w: [], expect({"dps"}, other=403)),
    "arrangements:create": (lambda w: [], expect({"dps"}, other=403)),
    "arrangements:detail": (lambda w: [w["requirement"].arrangement_id], expect({"dps"}, other=403)),
    "arrangements:change": (lambda w: [w["requirement"].arrangement_id], expect({"dps"}, other=403)),
    "arrangements:admit": (lambda w: [w["requirement"].arrangement_id], gate({"dps"}, expect(LOGGED_IN, ok_code=405))),
    "arrangements:remove": (
        lambda w: [w["requirement"].arrangement_id, w["order"].agreement.provider.services.get().pk],
        gate({"dps"}, expect(LOGGED_IN, ok_code=405)),
    ),
    "commissioning:award": (
        lambda w: [w["ra"].pk],
        gate(BROKERAGE, expect(set(), seen=SEES_A, seen_code=403) | TEAM_EAST_302),
    ),
    "commissioning:issue_purchase_order": (lambda w: [w["ra"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    # A's change of provider is in its challenge, allocated to officer_east, who alone works it; its explanation's
    # document is the team's.
    "commissioning:challenge": (
        lambda w: [w["rp"].pk],
        gate(BROKERAGE, expect({"officer_east"}, seen=SEES_A, seen_code=302)),
    ),
    "commissioning:request_explanation": (lambda w: [w["rp"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "commissioning:attach_explanation": (
        lambda w: [w["explanation"].pk],
        gate(BROKERAGE, expect(LOGGED_IN, ok_code=405)),
    ),
    "commissioning:explanation_document": (
        lambda w: [w["explanation"].pk],
        gate(BROKERAGE, expect(TEAM_EAST, seen=SEES_A, seen_code=403)),
    ),
    "commissioning:quality_alert": (lambda w: [w["rp"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "commissioning:confirm_change": (lambda w: [w["rp"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    # A's suspension is allocated to officer_east, who alone arranges it; the team lead is told why not.
    "changes:arrange": (lambda w: [w["rs"].pk], gate(BROKERAGE, expect({"officer_east"}, seen=SEES_A, seen_code=302))),
    "changes:recommence": (lambda w: [w["rs"].pk], gate(BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "changes:person_told": (lambda w: [w["rs"].pk], gate(PRACTITIONERS, expect(LOGGED_IN, ok_code=405))),
    "packages:change_terms": (
        lambda w: [w["agreement"].pk],
        gate(BROKERAGE, expect(TEAM_EAST, seen=SEES_A, seen_code=403)),
    ),
    # A care package is seen by those who may see its person.
    "packages:detail": (lambda w: [w["package"].pk], gate(STAFF, expect(SEES_A))),
    # A review is seen by those who may see its person (A's 6-week review is sw's, who holds the case).
    "reviews:detail": (lambda w: [w["review"].pk], gate(STAFF, expect(SEES_A))),
    "reviews:record": (lambda w: [w["review"].pk], gate(PRACTITIONERS | {"review"}, expect(LOGGED_IN, ok_code=405))),
    "reviews:cancel": (lambda w: [w["review"].pk], gate(PRACTITIONERS | BROKERAGE, expect(LOGGED_IN, ok_code=405))),
    "purchase_orders:list": (lambda w: [], expect({"finance"}, other=403)),
    # Person C's placement waits for a head of service's fee approval: the head of service sees C while it does.
    "placements:detail": (lambda w: [_placement(w).pk], gate(STAFF, expect(SEES_C))),
    "placements:publish": (
        lambda w: [_placement(w).pk],
        gate(BROKERAGE, expect(set(), seen=SEES_C, seen_code=302)),
    ),
    "placements:contract": (lambda w: [_placement(w).pk], gate(STAFF, expect(set()))),  # not commissioned: no contract
    "placements:viewing": (
        lambda w: [_placement(w).pk, _placement(w).homes.first().pk],
        gate(PRACTITIONERS, expect(LOGGED_IN, ok_code=405)),
    ),
    "placements:step": (lambda w: [_placement(w).pk, "decide-fee"], gate(STAFF, expect(LOGGED_IN, ok_code=405))),
    # Reablement is SPA's; a case's page is open to the Brokerage team its referral went to as well.
    "reablement:list": (lambda w: [], expect({"spa"}, other=403)),
    "reablement:create": (lambda w: [], expect({"spa"}, other=403)),
    "reablement:detail": (lambda w: [w["reablement"].pk], gate(STAFF, expect({"spa"} | TEAM_EAST))),
    # Its package is not active yet: a re-assessment's form turns SPA back with the reason, and Brokerage too.
    "reablement:step": (
        lambda w: [w["reablement"].pk, "reassess"],
        gate({"spa"} | BROKERAGE, expect(set(), seen={"spa"} | TEAM_EAST, seen_code=302)),
    ),
    "portal:home": (lambda w: [], expect({"provider"}, other=403)),
    "portal:requirements": (lambda w: [], expect({"provider"}, other=403)),
    "portal:bids": (lambda w: [], expect({"provider"}, other=403)),
    "portal:agreements": (lambda w: [], expect({"provider"}, other=403)),
    "portal:requirement": (lambda w: [w["requirement"].pk], expect({"provider"}, other=403)),
    "portal:requirement_export": (lambda w: [w["requirement"].pk], expect({"provider"}, other=403)),
    "portal:agreement": (lambda w: [w["agreement"].pk], expect({"provider"}, other=403)),
    "portal:purchase_order_pdf": (lambda w: [w["order"].pk], expect({"provider"}, other=403)),
    "providers:list": (lambda w: [], expect(BROKERAGE | {"contract", "dps", "finance"}, other=403)),
    "providers:detail": (
        lambda w: [w["order"].provider_id],
        expect(BROKERAGE | {"contract", "dps", "finance"}, other=403),
    ),
    "providers:import": (lambda w: [], expect({"dps"}, other=403)),
    "shortlist:for_referral": (lambda w: [w["ra"].pk], gate(BROKERAGE, expect(TEAM_EAST, seen=SEES_A, seen_code=403))),
    "purchase_orders:pdf": (lambda w: [w["order"].pk], gate(STAFF, expect(SEES_A | {"finance"}))),
    # Before the queue: B's plan waits for the panel, so only its practitioner and the panel see B.
    "people:detail#before the queue": (lambda w: [w["b"].pk], gate(STAFF, expect(SEES_B))),
    "referrals:detail#before the queue": (lambda w: [w["rb"].pk], gate(STAFF, expect(SEES_B))),
    # After the decision: A's plan was decided, so the panel no longer sees A, A's plan or A's order.
    "people:plan_detail#after the decision": (lambda w: [w["a"].pk, w["plan_a"].pk], gate(STAFF, expect(SEES_A))),
    "referrals:funding#after the decision": (
        lambda w: [w["ra"].pk],
        gate({"cap", "hos"}, expect(set(), seen=SEES_A, seen_code=403)),
    ),
}


def _app_rows() -> dict:
    """Each app's own rows (`<app>/tests/matrix_rows.py`), so every URL of every app is in one matrix."""
    rows = {}
    for app in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app}.tests.matrix_rows")
        except ModuleNotFoundError as missing:
            if missing.name not in (f"{app}.tests", f"{app}.tests.matrix_rows"):
                raise
            continue
        overlap = set(rows) & set(module.GET_ROWS) | set(GET_MATRIX) & set(module.GET_ROWS)
        assert not overlap, f"{app} repeats rows: {overlap}"
        rows |= module.GET_ROWS
    return rows


GET_MATRIX |= _app_rows()


def _url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _url_names(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    assert set(_url_names()) - {key.split("#")[0] for key in GET_MATRIX} == set()


def test_every_url_has_a_rule_in_its_apps_table():
    """Each app's permissions.py names every URL it serves, and no URL that does not exist."""
    assert set(_url_names()) == set(all_rules())


def test_a_url_without_a_rule_is_refused_to_everyone(client, world, monkeypatch):
    """The tables fail closed: a page nobody wrote a rule for is refused, even to the role that would be allowed."""
    from core import permissions

    monkeypatch.setitem(permissions._tables, "packages", {})
    client.force_login(world["users"]["officer_east"])
    response = client.get(reverse("packages:detail", args=[world["package"].pk]))
    assert response.status_code == 403
    assert b"no rule saying who may use it" in response.content


@pytest.mark.parametrize("row", sorted(GET_MATRIX))
def test_get_by_every_role(client, world, row):
    """A row is a URL name, or "name#moment" for the same URL at another moment of a case."""
    args_of, expected = GET_MATRIX[row]
    url = reverse(row.split("#")[0], args=args_of(world))
    got = {}
    for role in ALL:
        client.logout()
        if role != "anon":
            client.force_login(world["users"][role])
        got[role] = client.get(url).status_code
    assert got == expected
    # The app's table (core.permissions) turns away every signed-in role its rule does not name.
    rule = rule_for(row.split("#")[0])
    if rule is not None:
        refused = {role for role in ROLES if not rule(world["users"][role])}
        assert {role: got[role] for role in refused} == dict.fromkeys(refused, 403)


def _state(referral):
    return Referral.objects.get(pk=referral.pk).state


# POST actions: roles who may not act get nothing changed; the roles the app's table does not name are refused (403)
# before the view runs; the rest who cannot see the case get 404.
POST_CASES = [
    # (url name, object, data, roles allowed, roles who see it but are refused)
    ("referrals:take", "ra", {}, {"officer_east", "lead_east"}, SEES_A),
    ("referrals:withdraw", "ra", {"reason": "No longer needed"}, {"sw"}, SEES_A),
    ("referrals:allocate", "ra", "officer", {"lead_east"}, SEES_A),
    ("brokerage:contact_create", "ra", "contact", {"officer_east", "lead_east"}, SEES_A),
]


@pytest.mark.parametrize("name,key,data,allowed,seen", POST_CASES, ids=[c[0] for c in POST_CASES])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_post_action_by_every_role(client, world, name, key, data, allowed, seen, role):
    referral = world[key]
    if data == "officer":
        data = {"officer": world["users"]["officer_east"].pk}
    elif data == "contact":
        data = {
            "contact_with": "provider",
            "method": "phone",
            "occurred_at": "2026-01-05T10:00",
            "summary": "Rang",
            **fresh_token(),
        }
    client.force_login(world["users"][role])
    before_transitions = ReferralTransition.objects.count()
    before_contacts = referral.contacts.count()
    response = client.post(reverse(name, args=[referral.pk]), data)
    changed = (ReferralTransition.objects.count() != before_transitions) or (
        referral.contacts.count() != before_contacts
    )
    if not rule_for(name)(world["users"][role]):  # the app's table turns them away before the view
        assert response.status_code == 403 and not changed
    elif role in allowed:
        assert response.status_code == 302 and changed
    elif role in seen:
        assert response.status_code == 302 and not changed
    else:
        assert response.status_code == 404 and not changed


REVIEW_POSTS = [
    # (url name, data, roles allowed): roles the table does not name get 403; those who see person A but may not act
    # are told why; the rest get 404.
    ("reviews:record", {"outcome": "Going well"}, {"sw"}),
    ("reviews:cancel", {"reason": "Scheduled in error"}, {"sw", "officer_east", "lead_east"}),
]


@pytest.mark.parametrize("name,data,allowed", REVIEW_POSTS, ids=[c[0] for c in REVIEW_POSTS])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_review_post_by_every_role(client, world, name, data, allowed, role):
    from reviews.models import Review

    review = world["review"]
    client.force_login(world["users"][role])
    response = client.post(reverse(name, args=[review.pk]), data)
    changed = Review.objects.get(pk=review.pk).state != review.state
    if not rule_for(name)(world["users"][role]):  # the app's table turns them away before the view
        assert response.status_code == 403 and not changed
    elif role in allowed:
        assert response.status_code == 302 and changed
    elif role in SEES_A:
        assert response.status_code == 302 and not changed
    else:
        assert response.status_code == 404 and not changed


@pytest.mark.parametrize("role", sorted(ROLES))
def test_arranging_a_change_by_every_role(client, world, role):
    """Only the officer the change referral is allocated to arranges it; the rest of those who see the person are
    told why, the others do not find it, and nothing changes for any of them."""
    from changes.models import PackageChange

    referral = world["rs"]
    starts = timezone.localdate() + timedelta(days=10)
    data = {
        "reason": "hospital",
        **date_fields("starts_on", starts),
        **date_fields("provider_told_on", timezone.localdate()),
        "provider_told_how": "Rang the manager",
    }
    client.force_login(world["users"][role])
    response = client.post(reverse("changes:arrange", args=[referral.pk]), data)
    changed = PackageChange.objects.get(referral=referral).state != "requested"
    if not rule_for("changes:arrange")(world["users"][role]):
        assert response.status_code == 403 and not changed
    elif role == "officer_east":
        assert response.status_code == 302 and changed
    elif role in SEES_A:
        assert response.status_code == 302 and not changed
    else:
        assert response.status_code == 404 and not changed


def test_funding_decision_on_someone_elses_route_changes_nothing(client, world):
    """A head of service cannot see a panel case; a CAP member's decision on it is accepted."""
    rb = world["rb"]
    client.force_login(world["users"]["hos"])
    assert (
        client.post(
            reverse("referrals:funding", args=[rb.pk]), {"decision": "approved", "approved_weekly_amount": "50"}
        ).status_code
        == 404
    )
    assert _state(rb) == "awaiting_funding"
    client.force_login(world["users"]["cap"])
    assert (
        client.post(
            reverse("referrals:funding", args=[rb.pk]), {"decision": "approved", "approved_weekly_amount": "50"}
        ).status_code
        == 302
    )
    assert _state(rb) == "queued"


def test_concern_acknowledge_only_by_receiving_team(client, world):
    concern = world["concern"]
    client.force_login(world["users"]["officer_east"])
    client.post(reverse("concerns:acknowledge", args=[concern.pk]))
    assert Concern.objects.get(pk=concern.pk).status == "open"
    client.force_login(world["users"]["monitoring"])
    assert client.post(reverse("concerns:acknowledge", args=[concern.pk])).status_code == 404
    client.force_login(world["users"]["first_response"])
    client.post(reverse("concerns:acknowledge", args=[concern.pk]))
    assert Concern.objects.get(pk=concern.pk).status == "acknowledged"


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_placement_fee_is_decided_only_by_a_head_of_service(client, world, role):
    """Those who may not decide it change nothing: told why if they see the person, not found if they do not."""
    from placements.models import Placement, PlacementTransition

    placement = _placement(world)
    client.force_login(world["users"][role])
    before = PlacementTransition.objects.count()
    response = client.post(
        reverse("placements:step", args=[placement.pk, "decide-fee"]), {"decide-fee-decision": "approved"}
    )
    changed = PlacementTransition.objects.count() != before
    if not rule_for("placements:step")(world["users"][role]):  # the app's table turns them away before the view
        assert response.status_code == 403 and not changed
    elif role == "hos":
        assert response.status_code == 302 and changed
        assert Placement.objects.get(pk=placement.pk).state == "fee_agreed"
    elif role in SEES_C:
        assert response.status_code == 302 and not changed
    else:
        assert response.status_code == 404 and not changed
