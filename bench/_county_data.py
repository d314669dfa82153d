"""A county's records, generated inside PostgreSQL (INSERT ... SELECT generate_series), for bench/county.py.

At scale 1: 300,000 people with a plan each, 500,000 referrals (two transitions each), 20,000 active
services with an agreement and a purchase order, 2,000 providers, 5,000 requirements with 20,000 bids,
3.3 million audit events, contact logs and concerns. Scale 0.01 is the small county to compare with.
Ids are given explicitly so rows can refer to each other by arithmetic; sequences are reset at the end.

The named users (one per role, who the bench signs in as) are made first, through the same service as in
production; the rest of the staff and the provider users are bulk rows with the same password hash.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection

PASSWORD = "bench-password-2026"
EAST_DISTRICTS = [f"E{n}" for n in range(1, 10)]
WEST_DISTRICTS = [f"W{n}" for n in range(1, 10)]
FIRST_NAMES = (
    "Ada Grace Ivy Harriet Mabel Edith Florence Doris Arthur Albert Walter Stanley Ernest Harold Winifred Gladys "
    "Kwame Amina Bilal Priya Rohan Ioana Tomasz Agnieszka Siobhan Declan Mei Wei Olumide Chidi Fatima Yusuf "
    "Eleni Nikos Aisha Mohammed Sunita Rajesh Bogdan Elena"
).split()
SURNAMES = (
    "Thompson Okafor Khan Patel Smith Jones Williams Brown Taylor Davies Evans Wilson Johnson Roberts Walker "
    "Wright Robinson Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke Kowalczyk Nowak Popescu "
    "Murphy Kelly Chen Wang Adeyemi Mensah Hussain Begum Singh Georgiou Papadopoulos Ahmed Ali Rahman Novak"
).split()
# Out of 100,000 referrals, how many are in each state (the rest are withdrawn); a county's records of years.
STATE_SHARES = [
    ("awaiting_funding", 65),
    ("held_for_risk", 20),
    ("queued", 400),
    ("allocated", 800),
    ("requirement_published", 300),
    ("bidding_closed", 300),
    ("provider_selected", 300),
    ("details_shared", 300),
    ("active", 4_000),
    ("options_returned", 5_000),
    ("referred_on", 2_000),
    ("declined", 3_000),
]
WITH_AN_OFFICER = {
    "allocated",
    "requirement_published",
    "bidding_closed",
    "provider_selected",
    "details_shared",
    "active",
    "options_returned",
}
NAMED_ROLES = {  # username -> (roles, team)
    "social.worker": (["social_worker"], ""),
    "spa.worker": (["spa_worker"], ""),
    "officer.east": (["brokerage_officer"], "east"),
    "officer.west": (["brokerage_officer"], "west"),
    "lead.east": (["brokerage_team_lead"], "east"),
    "lead.west": (["brokerage_team_lead"], "west"),
    "cap.member": (["cap_member"], ""),
    "head.of.service": (["head_of_service"], ""),
    "review.team": (["review_team"], ""),
    "contract.monitoring": (["contract_monitoring_officer"], ""),
    "dps.team": (["dps_team"], ""),
    "first.response": (["first_response"], ""),
    "monitoring.officer": (["monitoring_officer"], ""),
    "finance.officer": (["finance_officer"], ""),
}
# Bulk ids: well clear of the named users and of each other.
SW_BASE, OFFICER_BASE, PROVIDER_USER_BASE = 10_000, 20_000, 30_000
OFFICERS_PER_TEAM = 10
BIG_PROVIDERS = 10  # providers 1..10 bid on every requirement; provider 1 is the bench's provider user's


@dataclass(frozen=True)
class Counts:
    people: int
    referrals: int
    social_workers: int
    providers: int
    requirements: int
    audit_events: int
    concerns: int
    contacts: int
    placements: int
    reablement_cases: int

    @classmethod
    def at(cls, scale: float) -> "Counts":
        return cls(
            people=int(300_000 * scale),
            referrals=int(500_000 * scale),
            social_workers=max(4, int(400 * scale)),
            providers=max(20, int(2_000 * scale)),
            requirements=int(5_000 * scale),
            audit_events=int(3_300_000 * scale),
            concerns=max(30, int(3_000 * scale)),
            contacts=int(100_000 * scale),
            placements=max(48, int(3_000 * scale)),
            reablement_cases=max(48, int(3_000 * scale)),
        )


def _sql(statement: str, **params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _state_case(expression: str) -> str:
    """SQL CASE giving the state for a bucket 0..99,999 (STATE_SHARES, the rest withdrawn)."""
    parts, upto = [], 0
    for state, share in STATE_SHARES:
        upto += share
        parts.append(f"WHEN {expression} < {upto} THEN '{state}'")
    return "CASE " + " ".join(parts) + " ELSE 'withdrawn' END"


def named_users() -> dict:
    from accounts.services import create_staff_user
    from brokerage.models import Area
    from catalogue.models import Team
    from providers.models import Provider

    Team.objects.bulk_create([Team(code="east", name="East"), Team(code="west", name="West")])
    for n, name in enumerate(["Eastbrook", "Canal Side", "Old Docks", "Westgate", "Hillfield", "Meadowbank"]):
        Area.objects.create(id=n + 1, name=name, team_id="east" if n < 3 else "west")
    Provider.objects.create(id=1, name="Provider 1 Homecare Ltd", cqc_rating="good")
    users = {
        username: create_staff_user(
            username=username,
            password=PASSWORD,
            roles=roles,
            team=team,
            first_name=username.split(".")[0].title(),
            last_name="Bench",
        )
        for username, (roles, team) in NAMED_ROLES.items()
    }
    users["provider.user"] = create_staff_user(
        username="provider.user",
        password=PASSWORD,
        roles=["provider_user"],
        provider=Provider.objects.get(id=1),
        first_name="Pat",
        last_name="Provider",
        email="pat@provider1.example.com",
    )
    return users


SOURCING_STATES = ("requirement_published", "bidding_closed", "provider_selected", "details_shared")


def _move_sourcing_to_commissions(p: dict) -> None:
    """The referrals above are made at every step of sourcing, as one state: each taken one gets its commission at
    that step (commissioning), and the referral is "allocated" (or stays "active"), as the migration leaves them."""
    _sql(
        f"""INSERT INTO commissioning_commission (created_at, modified_at, referral_id, state, chosen_provider_id,
                spot_contract_reason, challenge_outcome)
            SELECT allocated_at, allocated_at, id,
                CASE state WHEN 'allocated' THEN 'sourcing' WHEN 'active' THEN 'commissioned' ELSE state END,
                CASE WHEN state IN ('provider_selected', 'details_shared') THEN 1 + id %% LEAST(100, %(PROV)s) END,
                CASE WHEN state IN ('provider_selected', 'details_shared') THEN 'Bench data' ELSE '' END, ''
            FROM referrals_referral
            WHERE service_type IN ('home_care', 'reablement') AND kind <> 'sourcing_support'
                AND state IN ('allocated', 'active', {", ".join(f"'{s}'" for s in SOURCING_STATES)})""",
        **p,
    )
    _sql("""INSERT INTO commissioning_commissiontransition (commission_id, name, source, target, by_id, at, note)
            SELECT c.id, 'move_on', 'sourcing', c.state, r.allocated_to_id, r.allocated_at + interval '1 day', ''
            FROM commissioning_commission c JOIN referrals_referral r ON r.id = c.referral_id
            WHERE c.state <> 'sourcing'""")
    _sql(f"""UPDATE referrals_referraltransition SET target = 'allocated'
             WHERE name = 'move_on' AND target IN ({", ".join(f"'{s}'" for s in SOURCING_STATES)})""")
    _sql(f"""UPDATE referrals_referral SET state = 'allocated'
             WHERE state IN ({", ".join(f"'{s}'" for s in SOURCING_STATES)})""")


def load(scale: float, log) -> Counts:
    """Fill the (migrated, empty) database with a county at `scale`. Returns the counts asked for."""
    c = Counts.at(scale)
    users = named_users()
    sw, east, west = users["social.worker"].pk, users["officer.east"].pk, users["officer.west"].pk
    person_type = ContentType.objects.get(app_label="people", model="person").pk
    groups = dict(Group.objects.values_list("name", "pk"))
    p = {
        "P": c.people,
        "R": c.referrals,
        "SW": c.social_workers,
        "PROV": c.providers,
        "REQ": c.requirements,
        "A": c.audit_events,
        "CON": c.concerns,
        "CL": c.contacts,
        "sw": sw,
        "cap": users["cap.member"].pk,
        "east": east,
        "west": west,
        "hash": make_password(PASSWORD),
        "person_type": person_type,
        "OPT": OFFICERS_PER_TEAM,
        "SWB": SW_BASE,
        "OB": OFFICER_BASE,
        "PUB": PROVIDER_USER_BASE,
        "BIG": BIG_PROVIDERS,
        "first": FIRST_NAMES,
        "last": SURNAMES,
        "NF": len(FIRST_NAMES),
        "NL": len(SURNAMES),
        "ed": EAST_DISTRICTS,
        "wd": WEST_DISTRICTS,
        "g_sw": groups["social_worker"],
        "g_officer": groups["brokerage_officer"],
        "g_provider": groups["provider_user"],
    }

    log(f"staff and providers ({c.social_workers} social workers, {c.providers} providers)")
    _sql(
        """INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                is_active, date_joined, team)
            SELECT %(SWB)s + n, %(hash)s, false, 'sw' || n, 'Social', 'Worker ' || n, 'sw' || n || '@council.example',
                false, true, now(), NULL
            FROM generate_series(1, %(SW)s) n""",
        **p,
    )
    _sql(
        "INSERT INTO accounts_user_groups (user_id, group_id) SELECT %(SWB)s + n, %(g_sw)s FROM generate_series(1, %(SW)s) n",
        **p,
    )
    _sql(
        """INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                is_active, date_joined, team)
            SELECT %(OB)s + n, %(hash)s, false, 'officer' || n, 'Officer', n::text, '', false, true, now(),
                CASE WHEN n <= %(OPT)s THEN 'east' ELSE 'west' END
            FROM generate_series(1, 2 * %(OPT)s) n""",
        **p,
    )
    _sql(
        """INSERT INTO accounts_user_groups (user_id, group_id)
            SELECT %(OB)s + n, %(g_officer)s FROM generate_series(1, 2 * %(OPT)s) n""",
        **p,
    )
    _sql(
        """INSERT INTO providers_provider (id, created_at, modified_at, name, description, cqc_registration_number,
                cqc_rating, contact_name, email, phone, website, address, postcode, active)
            SELECT n, now(), now(), 'Provider ' || n || ' Care Ltd', '', '1-' || (100000000 + n), 
                (ARRAY['outstanding','good','requires_improvement','inadequate'])[1 + n %% 4], '',
                'office@provider' || n || '.example.com', '', '', '', '', true
            FROM generate_series(2, %(PROV)s) n""",
        **p,
    )
    _sql(
        """INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                is_active, date_joined, team, provider_id)
            SELECT %(PUB)s + n, %(hash)s, false, 'provider' || n, 'Provider', n::text,
                'staff@provider' || n || '.example.com', false, true, now(), NULL, n
            FROM generate_series(2, %(PROV)s) n""",
        **p,
    )
    _sql(
        "INSERT INTO accounts_user_groups (user_id, group_id) SELECT %(PUB)s + n, %(g_provider)s FROM generate_series(2, %(PROV)s) n",
        **p,
    )
    _sql("""INSERT INTO dps_purchasingarrangement (id, name, kind, service_type, starts_on, expires_on)
            VALUES (1, 'Home care DPS 2023 to 2027', 'dps', 'home_care', '2023-04-01', '2027-03-31')""")
    _sql(
        """INSERT INTO providers_providerservice (provider_id, service_type, arrangement_id, districts, specialisms,
                languages, weekly_hours_capacity)
            SELECT n, 'home_care', 1,
                CASE WHEN n <= %(BIG)s THEN %(ed)s::varchar[] || %(wd)s::varchar[]
                     ELSE ARRAY[(%(ed)s::varchar[])[1 + n %% 9], (%(wd)s::varchar[])[1 + n %% 9]] END,
                CASE WHEN n %% 3 = 0 THEN ARRAY['dementia']::varchar[] ELSE ARRAY[]::varchar[] END,
                CASE WHEN n %% 5 = 0 THEN ARRAY['Polish']::varchar[] ELSE ARRAY['English']::varchar[] END, 40 + n %% 200
            FROM generate_series(1, %(PROV)s) n""",
        **p,
    )

    log(f"{c.people:,} people with a plan each")
    _sql(
        """INSERT INTO people_person (id, created_at, modified_at, first_name, last_name, date_of_birth, nhs_number,
                address_line_1, address_line_2, town, postcode, phone, representative_name,
                representative_relationship, representative_phone, allocated_worker_id, area_id)
            SELECT n, now() - (n %% 1000) * interval '1 day', now(), (%(first)s::text[])[1 + n %% %(NF)s],
                (%(last)s::text[])[1 + (n / %(NF)s) %% %(NL)s] || CASE WHEN n %% 7 = 0 THEN '-' || (%(last)s::text[])[1 + n %% %(NL)s] ELSE '' END,
                date '1925-01-01' + (n * 37) %% 25000, lpad((4000000000 + n)::text, 10, '0'),
                (1 + n %% 200) || ' ' || (%(last)s::text[])[1 + n %% %(NL)s] || ' Road', '', 'Riverside',
                CASE WHEN n %% 2 = 0 THEN (%(ed)s::text[])[1 + n %% 9] ELSE (%(wd)s::text[])[1 + n %% 9] END
                    || ' ' || (n %% 10) || chr(65 + n %% 26) || chr(65 + (n / 26) %% 26),
                '020 7946 ' || lpad((n %% 10000)::text, 4, '0'), '', '', '',
                CASE WHEN n %% %(SW)s = 0 THEN %(sw)s ELSE %(SWB)s + n %% %(SW)s END,
                CASE WHEN n %% 2 = 0 THEN 1 + n %% 3 ELSE 4 + n %% 3 END
            FROM generate_series(1, %(P)s) n""",
        **p,
    )
    _sql(
        """INSERT INTO people_careandsupportplan (id, created_at, modified_at, person_id, version, service_type,
                weekly_hours, visit_schedule, outcomes, specific_or_complex_needs, required_specialisms,
                preferred_language, preferred_locations, places_to_avoid, indicative_weekly_budget, locked_at)
            SELECT n, now(), now(), n, 1, 'home_care', 10,
                '[{"day": "Monday", "time": "08:00", "minutes": 45, "carers": 1}]', 'To stay safely at home',
                '', CASE WHEN n %% 3 = 0 THEN ARRAY['dementia']::varchar[] ELSE ARRAY[]::varchar[] END,
                CASE WHEN n %% 5 = 0 THEN 'pol' ELSE '' END, '', '', 250, now()
            FROM generate_series(1, %(P)s) n""",
        **p,
    )

    log(f"{c.referrals:,} referrals with their timelines and funding decisions")
    bucket = "(n::bigint * 7919) %% 100000"
    _sql(
        f"""INSERT INTO referrals_referral (id, created_at, modified_at, state, person_id, plan_id, kind, change,
                service_type, details, urgent, puts_person_at_risk, risk_strategies, referred_on_to, team,
                referred_by_id, submitted_at, queued_at, due_by, allocated_to_id, allocated_at, sourcing_options,
                active_at)
            SELECT n, at, at, state, person, CASE WHEN first THEN person END,
                CASE WHEN first THEN 'support_plan' ELSE 'urgent_response' END, '', 'home_care',
                'Needs support at home', NOT first, false, '', '', team, worker, at, at, at + interval '5 days',
                CASE WHEN state IN {tuple(WITH_AN_OFFICER)} THEN
                    CASE WHEN n %% 10 = 0 THEN CASE WHEN team = 'east' THEN %(east)s ELSE %(west)s END
                         ELSE %(OB)s + 1 + n %% %(OPT)s + CASE WHEN team = 'west' THEN %(OPT)s ELSE 0 END END
                END,
                CASE WHEN state IN {tuple(WITH_AN_OFFICER)} THEN at + interval '2 hours' END, '',
                CASE WHEN state = 'active' THEN at + interval '4 days' END
            FROM (
                SELECT n, 1 + (n - 1) %% %(P)s AS person, n <= %(P)s AS first,
                    CASE WHEN (1 + (n - 1) %% %(P)s) %% 2 = 0 THEN 'east' ELSE 'west' END AS team,
                    CASE WHEN (1 + (n - 1) %% %(P)s) %% %(SW)s = 0 THEN %(sw)s ELSE %(SWB)s + (1 + (n - 1) %% %(P)s) %% %(SW)s END AS worker,
                    now() - (%(R)s - n) * interval '3 minutes' AS at,
                    CASE WHEN n > %(P)s AND {_state_case(bucket)} IN ('awaiting_funding', 'held_for_risk') THEN 'withdrawn'
                         ELSE {_state_case(bucket)} END AS state
                FROM generate_series(1, %(R)s) n
            ) r""",
        **p,
    )
    _sql("""INSERT INTO referrals_referraltransition (referral_id, name, source, target, by_id, at, note)
            SELECT id, 'send_to_brokerage', 'draft', 'queued', referred_by_id, submitted_at, '' FROM referrals_referral
            UNION ALL
            SELECT id, 'move_on', 'queued', state, COALESCE(allocated_to_id, referred_by_id), submitted_at + interval '1 day', ''
            FROM referrals_referral WHERE state NOT IN ('queued', 'draft')""")
    # Each plan sent for funding has its approval: decided (a step logged, by the panel) or, awaiting, requested.
    _sql(
        """INSERT INTO approvals_approval (kind, plan_id, state, approved_weekly_amount, notes, requested_by_id,
                requested_at, decided_by_id, decided_at)
            SELECT 'panel', plan_id, decision, CASE WHEN decision = 'approved' THEN 300 END, '', referred_by_id,
                submitted_at, CASE WHEN decision <> 'requested' THEN %(cap)s END,
                CASE WHEN decision <> 'requested' THEN submitted_at + interval '1 day' END
            FROM (
                SELECT plan_id, referred_by_id, submitted_at,
                    CASE state WHEN 'declined' THEN 'declined' WHEN 'awaiting_funding' THEN 'requested'
                               ELSE 'approved' END AS decision
                FROM referrals_referral
                WHERE plan_id IS NOT NULL AND state NOT IN ('held_for_risk', 'withdrawn')
            ) r""",
        **p,
    )
    _sql("""INSERT INTO approvals_approvaltransition (approval_id, name, source, target, by_id, at, note)
            SELECT id, CASE state WHEN 'declined' THEN 'decline' ELSE 'approve' END, 'requested', state, decided_by_id,
                decided_at, ''
            FROM approvals_approval WHERE state <> 'requested'""")
    _sql(
        """INSERT INTO brokerage_contactlogentry (created_at, modified_at, referral_id, contact_with, contact_name, method,
                occurred_at, summary, recorded_by_id)
            SELECT r.submitted_at, r.submitted_at, r.id, 'provider', '', 'phone', r.submitted_at + interval '3 hours',
                'Asked about capacity for morning visits', r.allocated_to_id
            FROM (SELECT id, submitted_at, allocated_to_id, row_number() OVER (ORDER BY id) AS k
                  FROM referrals_referral WHERE allocated_to_id IS NOT NULL) r
            CROSS JOIN generate_series(1, 4) copy
            WHERE r.k * 4 <= %(CL)s""",
        **p,
    )

    log("active services: agreements and purchase orders")
    _sql(
        """INSERT INTO brokerage_serviceagreement (id, created_at, modified_at, referral_id, person_id, provider_id,
                spot_contract_reason, service_type, start_date, weekly_hours, visit_schedule, hourly_rate, weekly_cost, status)
            SELECT k, active_at, active_at, id, person_id, 1 + k %% LEAST(100, %(PROV)s), 'Bench data', 'home_care', active_at::date, 10,
                '[]', 25, 250, 'active'
            FROM (SELECT id, person_id, active_at, row_number() OVER (ORDER BY id) AS k
                  FROM referrals_referral WHERE state = 'active') a""",
        **p,
    )
    _sql("""INSERT INTO purchase_orders_purchaseorder (id, agreement_id, year, sequence, revision, status, provider_id,
                service_type, period_start, weekly_hours, hourly_rate, weekly_cost, reason, issued_by_id, issued_at,
                pdf, pdf_rendered_at, render_queued_at, announced_at)
            SELECT a.id, a.id, extract(year FROM a.created_at)::int, a.id, 1, 'issued', a.provider_id, 'home_care',
                a.start_date, 10, 25, 250, '', r.allocated_to_id, a.created_at, 'purchase_orders/bench.pdf',
                a.created_at, a.created_at, a.created_at
            FROM brokerage_serviceagreement a JOIN referrals_referral r ON r.id = a.referral_id""")

    from _county_services import load_services

    load_services(c, p, users, log)

    log(f"{c.requirements:,} requirements with {4 * c.requirements:,} bids")
    _sql(
        """INSERT INTO dps_dpsrequirement (id, referral_id, arrangement_id, status, service_type, postcode_district,
                weekly_hours, visit_schedule, start_date, specialisms, language, summary, closes_at, quality_weight,
                published_by_id, published_at, selection_reason, preferred_location)
            SELECT k, r.id, 1, CASE r.state WHEN 'requirement_published' THEN 'open' WHEN 'bidding_closed' THEN 'closed'
                    ELSE 'awarded' END,
                'home_care', split_part(p.postcode, ' ', 1), 10,
                '[{"day": "Monday", "time": "08:00", "minutes": 45, "carers": 1}]', current_date + 14,
                ARRAY[]::varchar[], '', 'Morning visits for an older person living alone',
                CASE WHEN r.state = 'requirement_published' THEN now() + (k %% 72 + 1) * interval '1 hour'
                     ELSE r.submitted_at + interval '3 days' END,
                60, r.allocated_to_id, r.submitted_at + interval '1 day', '', ''
            FROM (SELECT r.*, row_number() OVER (ORDER BY state <> 'requirement_published', state <> 'bidding_closed', id) AS k
                  FROM referrals_referral r
                  WHERE state IN ('requirement_published', 'bidding_closed', 'provider_selected', 'details_shared', 'active')) r
            JOIN people_person p ON p.id = r.person_id
            WHERE r.k <= %(REQ)s""",
        **p,
    )
    _sql("""INSERT INTO dps_outcomestatement (requirement_id, position, text)
            SELECT id, pos, CASE pos WHEN 1 THEN 'Supports the person to wash and dress' ELSE 'Prompts medication' END
            FROM dps_dpsrequirement CROSS JOIN generate_series(1, 2) pos""")
    _sql(
        """INSERT INTO dps_bid (id, requirement_id, provider_id, price_basis, price, weekly_price, submitted_by_id,
                submitted_at, updated_at)
            SELECT 4 * (q.id - 1) + b + 1, q.id, prov, 'weekly', 200 + (q.id * 7 + b * 13) %% 100,
                200 + (q.id * 7 + b * 13) %% 100, CASE WHEN prov = 1 THEN %(pu)s ELSE %(PUB)s + prov END,
                q.published_at + interval '1 hour', q.published_at + interval '1 hour'
            FROM dps_dpsrequirement q CROSS JOIN generate_series(0, 3) b
            CROSS JOIN LATERAL (SELECT CASE WHEN b = 0 THEN 1 + q.id %% %(BIG)s
                                  ELSE %(BIG)s + 1 + (q.id * 7 + b * 503) %% (%(PROV)s - %(BIG)s) END AS prov) chosen""",
        pu=users["provider.user"].pk,
        **p,
    )
    _sql("""INSERT INTO dps_bidanswer (bid_id, outcome_id, answer, score)
            SELECT b.id, o.id, 'We will do this with a regular team', CASE WHEN q.status = 'open' THEN NULL ELSE 3 END
            FROM dps_bid b JOIN dps_dpsrequirement q ON q.id = b.requirement_id
            JOIN dps_outcomestatement o ON o.requirement_id = q.id""")
    _sql("""UPDATE dps_dpsrequirement SET selected_bid_id = 4 * (id - 1) + 2, selection_reason = 'Best score'
            WHERE status = 'awarded'""")
    _sql(
        """INSERT INTO dps_spotcontractnotice (provider_id, referral_id, service_type, reason, raised_by_id, raised_at)
            SELECT 1 + id %% %(PROV)s, id, 'home_care', 'No framework provider could start in time', allocated_to_id, submitted_at
            FROM referrals_referral WHERE state = 'active' AND id %% 200 = 0""",
        **p,
    )

    _move_sourcing_to_commissions(p)

    log(f"{c.concerns:,} concerns and {c.audit_events:,} audit events")
    _sql(
        """INSERT INTO concerns_concern (created_at, modified_at, kind, person_id, routed_to, provider_name, details,
                raised_by_id, status, outcome)
            SELECT now() - n * interval '1 hour', now(), k.kind, 1 + (n * 97) %% %(P)s, k.route,
                CASE WHEN k.kind = 'quality_alert' THEN 'Provider 7 Care Ltd' ELSE '' END, 'Reported by a carer',
                %(sw)s, CASE WHEN n %% 10 = 0 THEN 'open' ELSE 'closed' END,
                CASE WHEN n %% 10 = 0 THEN '' ELSE 'Dealt with' END
            FROM generate_series(1, %(CON)s) n
            CROSS JOIN LATERAL (SELECT (ARRAY['safeguarding','complaint','quality_alert'])[1 + n %% 3] AS kind,
                (ARRAY['first_response','monitoring_officer','contract_monitoring_officer'])[1 + n %% 3] AS route) k""",
        **p,
    )
    _sql(
        """INSERT INTO audit_auditevent (at, actor_id, action, content_type_id, object_id, object_repr, person_id,
                summary, changes)
            SELECT now() - n * interval '30 seconds', CASE WHEN n %% 3 = 0 THEN %(sw)s ELSE %(SWB)s + 1 + n %% %(SW)s END,
                (ARRAY['viewed','viewed','viewed','changed','created','transitioned'])[1 + n %% 6], %(person_type)s,
                (1 + (n * 31) %% %(P)s)::text, 'A person', 1 + (n * 31) %% %(P)s, 'Viewed the person''s record', '{}'
            FROM generate_series(1, %(A)s) n""",
        **p,
    )

    log("sequences and statistics")
    with connection.cursor() as cursor:
        for table in [
            "accounts_user",
            "providers_provider",
            "people_person",
            "people_careandsupportplan",
            "referrals_referral",
            "brokerage_serviceagreement",
            "purchase_orders_purchaseorder",
            "dps_dpsrequirement",
            "dps_bid",
            "brokerage_area",
            "packages_carepackage",
            "packages_packageversion",
            "reviews_review",
            "placements_placement",
            "placements_placementhome",
            "approvals_approval",
            "reablement_reablementcase",
        ]:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("""INSERT INTO purchase_orders_purchaseordernumber (year, last_number)
                          SELECT year, max(sequence) FROM purchase_orders_purchaseorder GROUP BY year""")
        cursor.execute("VACUUM ANALYZE")
    return c
