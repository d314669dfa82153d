"""Shared lives demo cases (seed_demo's DEMO_CASES), walked by the services the pages call.

Kofi Mensah (Millwall Reach, held by social.worker) was referred to the Riverside Shared Lives Scheme and matched
with a carer: one taster session went well, one did not; the scheme (provider.riverside-shared-lives-scheme) may
record more, or start the overnight trial stays. Grace Adeyemi (Eastbrook) had her tasters and a trial stay go well
and waits for the Care Authorisation Panel (cap.member).
"""

from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from catalogue.codes import ServiceCode
from shared_lives import services

SCHEME = "Riverside Shared Lives Scheme"


def _referred(*, sw, scheme, person, plan, first, last, dob, area, postcode, details):
    p = person(sw, first, last, dob, area, postcode, "")
    return services.refer_to_scheme(
        acting_user=sw,
        person=p,
        plan=plan(sw, p, ServiceCode.SHARED_LIVES, None, Decimal("480.00")),
        scheme=scheme,
        details=details,
    )


def _visit(arrangement, user, kind, days_ago, outcome, notes):
    services.record_visit(
        arrangement,
        acting_user=user,
        kind=kind,
        on=date.today() - timedelta(days=days_ago),
        outcome=outcome,
        notes=notes,
    )


def seed(*, users, person, plan, providers):
    sw, scheme = users["social.worker"], providers[SCHEME]
    staff = User.objects.filter(provider=scheme).order_by("id").first()

    kofi = _referred(
        sw=sw,
        scheme=scheme,
        person=person,
        plan=plan,
        first="Kofi",
        last="Mensah",
        dob=date(1986, 7, 12),
        area="Millwall Reach",
        postcode="E14 3QS",
        details="Has a learning disability; loves football and cooking. Would like to live with a family.",
    )
    kofi = services.record_match(
        kofi, acting_user=staff, carer_name="Maria Lopes", carer_reference="RSL-C-017", notes="Both Arsenal fans."
    )
    _visit(kofi, staff, "taster", 9, "did_not", "Quiet afternoon; Kofi was anxious in a new place.")
    _visit(kofi, staff, "taster", 2, "went_well", "Cooked dinner together and watched the match.")

    grace = _referred(
        sw=sw,
        scheme=scheme,
        person=person,
        plan=plan,
        first="Grace",
        last="Okonjo",
        dob=date(1979, 2, 3),
        area="Eastbrook",
        postcode="E1 4PB",
        details="Autistic; likes routine, gardening and the library.",
    )
    grace = services.record_match(grace, acting_user=staff, carer_name="David and Ruth Green")
    _visit(grace, staff, "taster", 20, "went_well", "Tea in the garden.")
    grace = services.start_trial_stays(grace, acting_user=staff)
    _visit(grace, staff, "trial_stay", 6, "went_well", "Slept well; helped with breakfast.")
    services.send_to_panel(grace, acting_user=sw)
