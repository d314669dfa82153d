"""The county's care packages, reviews, care home placements and reablement cases, for bench/county.py.

Run by _county_data.load after the home care agreements and their purchase orders: every agreement gets its
care package (one agreement link, a version with its visits, a step), and every purchase order its package;
a share of packages has 6-week reviews (for the person's social worker) and 12-month ones (for the review team).
Placements (residential and nursing, each on its own referral and plan) and reablement cases (SPA's, from the
hospital) are spread over every state of their machines, with the rows each state has: homes and viewings, an
assessment, fee offers, a head of service's fee approval, an agreement, package and order once commissioned;
a reablement plan's daily care, a referral once with Brokerage, a pending re-assessment, an ending.
"""

from django.db import connection

PLACEMENT_STATES = [
    "sourcing",
    "bidding",
    "bids_in",
    "viewings",
    "assessment",
    "awaiting_cost",
    "negotiating",
    "awaiting_fee_approval",
    "fee_agreed",
    "admission_set",
    "commissioned",
    "not_placed",
]
REABLEMENT_STATES = [
    "referred",
    "not_accepted",
    "accepted",
    "planned",
    "with_brokerage",
    "change_requested",
    "termination_requested",
    "terminated",
]
# The step that led into each state (name, source), for one logged step per object.
REABLEMENT_STEP = {
    "not_accepted": ("not_accept", "referred"),
    "accepted": ("accept", "referred"),
    "planned": ("write_plan", "accepted"),
    "with_brokerage": ("send_to_brokerage", "planned"),
    "change_requested": ("reassess", "with_brokerage"),
    "termination_requested": ("request_termination", "with_brokerage"),
    "terminated": ("terminate", "termination_requested"),
}


def _sql(statement: str, **params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or {"none": None})  # always formatted: %% is one % in every statement
        return cursor.rowcount


def _scalar(statement: str, **params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


def _case(expression: str, states: list[str]) -> str:
    return "(ARRAY[" + ", ".join(f"'{s}'" for s in states) + f"])[1 + {expression} %% {len(states)}]"


def load_services(c, p: dict, users: dict, log) -> None:
    q = {
        **p,
        "PL": c.placements,
        "RB": c.reablement_cases,
        "spa": users["spa.worker"].pk,
        "head": users["head.of.service"].pk,
        "pstates": PLACEMENT_STATES,
        "rstates": REABLEMENT_STATES,
    }
    q["RPL"] = q["R"]  # placement referrals: R + j
    q["RRB"] = q["R"] + q["PL"]  # reablement referrals: R + PL + j
    q["PPL"] = q["P"]  # placement plans: P + j (version 2)
    q["PRB"] = q["P"] + q["PL"]  # reablement plans: P + PL + j (version 3)
    pstate = _case("(j / 2)", PLACEMENT_STATES)  # each state in both teams
    rstate = _case("(j / 2)", REABLEMENT_STATES)

    log(f"{c.placements:,} care home placements and {c.reablement_cases:,} reablement cases: referrals and plans")
    # Placement j: person 1 + 997j mod P (distinct), residential or nursing, worked by the team's named officer.
    placement_people = f"""SELECT j, 1 + (j * 997) %% %(P)s AS person, {pstate} AS pstate,
            CASE WHEN (j / 24) %% 2 = 0 THEN 'residential' ELSE 'nursing' END AS service,  -- both in each team
            now() - (j %% 90) * interval '1 day' - interval '10 days' AS at
        FROM generate_series(1, %(PL)s) j"""
    reablement_people = f"""SELECT j, 1 + (j * 991 + 7) %% %(P)s AS person, {rstate} AS rstate,
            now() - (j %% 60) * interval '1 day' - interval '10 days' AS at
        FROM generate_series(1, %(RB)s) j"""
    _sql(
        f"""INSERT INTO people_careandsupportplan (id, created_at, modified_at, person_id, version, service_type,
                weekly_hours, visit_schedule, outcomes, specific_or_complex_needs, required_specialisms,
                preferred_language, preferred_locations, places_to_avoid, indicative_weekly_budget, locked_at)
            SELECT %(PPL)s + j, at, at, person, 2, service, NULL::numeric, '[]'::jsonb, 'To live safely with care on hand', '',
                ARRAY[]::varchar[], '', 'Near their daughter in Eastbrook', '', 1000, at
            FROM ({placement_people}) x
            UNION ALL
            SELECT %(PRB)s + j, at, at, person, 3, 'reablement', 14,
                '[{{"day": "Monday", "time": "08:00", "minutes": 60, "carers": 1}}]'::jsonb, 'To wash and dress again', '',
                ARRAY[]::varchar[], '', '', '', NULL::numeric, at
            FROM ({reablement_people}) x WHERE rstate IN ('with_brokerage', 'change_requested',
                'termination_requested', 'terminated')""",
        **q,
    )
    referral_columns = """(id, created_at, modified_at, state, person_id, plan_id, kind, change, service_type, details,
                urgent, puts_person_at_risk, risk_strategies, referred_on_to, team, referred_by_id, submitted_at,
                queued_at, due_by, allocated_to_id, allocated_at, sourcing_options, active_at)"""
    team = "CASE WHEN person %% 2 = 0 THEN 'east' ELSE 'west' END"
    officer = "CASE WHEN person %% 2 = 0 THEN %(east)s ELSE %(west)s END"
    worker = "CASE WHEN person %% %(SW)s = 0 THEN %(sw)s ELSE %(SWB)s + person %% %(SW)s END"
    _sql(
        f"""INSERT INTO referrals_referral {referral_columns}
            SELECT %(RPL)s + j, at, at, CASE pstate WHEN 'commissioned' THEN 'active' WHEN 'not_placed' THEN 'withdrawn'
                    ELSE 'allocated' END,
                person, %(PPL)s + j, 'support_plan', '', service, 'Can no longer live safely at home', false, false,
                '', '', {team}, {worker}, at, at, at + interval '5 days', {officer}, at + interval '2 hours', '',
                CASE WHEN pstate = 'commissioned' THEN at + interval '9 days' END
            FROM ({placement_people}) x
            UNION ALL
            SELECT %(RRB)s + j, at, at, CASE rstate WHEN 'with_brokerage' THEN 'queued' ELSE 'active' END,
                person, %(PRB)s + j, 'support_plan', '', 'reablement', 'Reablement after a hospital stay', false,
                false, '', '', {team}, %(spa)s, at, at, at + interval '5 days',
                CASE WHEN rstate <> 'with_brokerage' THEN {officer} END,
                CASE WHEN rstate <> 'with_brokerage' THEN at + interval '2 hours' END, '',
                CASE WHEN rstate <> 'with_brokerage' THEN at + interval '2 days' END
            FROM ({reablement_people}) x WHERE rstate IN ('with_brokerage', 'change_requested',
                'termination_requested', 'terminated')""",
        **q,
    )
    _sql(
        """INSERT INTO referrals_referraltransition (referral_id, name, source, target, by_id, at, note)
            SELECT id, 'send_to_brokerage', 'draft', 'queued', referred_by_id, submitted_at, '' FROM referrals_referral
            WHERE id > %(R)s
            UNION ALL
            SELECT id, 'move_on', 'queued', state, COALESCE(allocated_to_id, referred_by_id),
                submitted_at + interval '1 day', ''
            FROM referrals_referral WHERE id > %(R)s AND state <> 'queued'""",
        **q,
    )
    # Each placement's plan was approved out of panel by the head of service, up to £1,000 a week.
    _sql(
        """INSERT INTO approvals_approval (kind, plan_id, state, approved_weekly_amount, notes, requested_by_id,
                requested_at, decided_by_id, decided_at)
            SELECT 'out_of_panel', plan_id, 'approved', 1000, '', referred_by_id, submitted_at, %(head)s,
                submitted_at + interval '1 hour'
            FROM referrals_referral WHERE id > %(RPL)s AND id <= %(RRB)s""",
        **q,
    )

    log("agreements and purchase orders of commissioned placements and reablement with Brokerage")
    first = _scalar("SELECT coalesce(max(id), 0) FROM brokerage_serviceagreement")
    _sql(
        """INSERT INTO brokerage_serviceagreement (id, created_at, modified_at, referral_id, person_id, provider_id,
                spot_contract_reason, service_type, start_date, weekly_hours, visit_schedule, hourly_rate, weekly_cost,
                status)
            SELECT %(ag0)s + row_number() OVER (ORDER BY id), active_at, active_at, id, person_id,
                1 + id %% LEAST(100, %(PROV)s), 'Bench data', service_type, active_at::date,
                CASE WHEN service_type = 'reablement' THEN 14 END, '[]',
                CASE WHEN service_type = 'reablement' THEN 25 END,
                CASE WHEN service_type = 'reablement' THEN 350 ELSE 950 END, 'active'
            FROM referrals_referral WHERE id > %(R)s AND state = 'active'""",
        ag0=first,
        **q,
    )
    _sql(
        """INSERT INTO purchase_orders_purchaseorder (id, agreement_id, year, sequence, revision, status, provider_id,
                service_type, period_start, weekly_hours, hourly_rate, weekly_cost, reason, issued_by_id, issued_at,
                pdf, pdf_rendered_at, render_queued_at, announced_at)
            SELECT a.id, a.id, extract(year FROM a.created_at)::int, a.id, 1, 'issued', a.provider_id, a.service_type,
                a.start_date, a.weekly_hours, a.hourly_rate, a.weekly_cost, '', r.allocated_to_id, a.created_at,
                'purchase_orders/bench.pdf', a.created_at, a.created_at, a.created_at
            FROM brokerage_serviceagreement a JOIN referrals_referral r ON r.id = a.referral_id
            WHERE a.id > %(ag0)s""",
        ag0=first,
    )

    log("a care package for every agreement, with its version, visits and order")
    _sql("""INSERT INTO packages_carepackage (id, created_at, modified_at, state, created_by_id, person_id, referral_id,
                service_type, team)
            SELECT a.id, a.created_at, a.created_at, 'active', r.allocated_to_id, a.person_id, a.referral_id,
                a.service_type, r.team
            FROM brokerage_serviceagreement a JOIN referrals_referral r ON r.id = a.referral_id""")
    _sql("""INSERT INTO packages_packageagreement (package_id, agreement_id, valid_from, valid_to)
            SELECT id, id, start_date, NULL FROM brokerage_serviceagreement""")
    # Every tenth home care package was changed once: its first weeks were a version of their own.
    _sql("""INSERT INTO packages_packageversion (id, package_id, agreement_id, valid_from, valid_to, weekly_hours,
                hourly_rate, weekly_cost, reason, reverts_on, created_at, created_by_id, purchase_order_id)
            SELECT a.id, a.id, a.id, a.start_date, NULL::date, a.weekly_hours, a.hourly_rate, a.weekly_cost, '', NULL::date,
                a.created_at, r.allocated_to_id, a.id::bigint
            FROM brokerage_serviceagreement a JOIN referrals_referral r ON r.id = a.referral_id
            UNION ALL
            SELECT 10000000 + a.id, a.id, a.id, a.start_date - 28, a.start_date, 8, 25, 200, 'First weeks', NULL,
                a.created_at, r.allocated_to_id, NULL::bigint
            FROM brokerage_serviceagreement a JOIN referrals_referral r ON r.id = a.referral_id
            WHERE a.service_type = 'home_care' AND a.id %% 10 = 0""")
    _sql("""INSERT INTO packages_visitslot (version_id, day, time, minutes, carers)
            SELECT v.id, d, CASE WHEN v.id %% 2 = 0 THEN time '08:00' ELSE time '09:30' END, 45, 1
            FROM packages_packageversion v CROSS JOIN generate_series(1, 5) d WHERE v.weekly_hours IS NOT NULL""")
    _sql("""INSERT INTO packages_packagetransition (package_id, name, source, target, by_id, at, note)
            SELECT id, 'start', 'pending_start', 'active', created_by_id, created_at + interval '1 day', ''
            FROM packages_carepackage""")
    _sql("UPDATE purchase_orders_purchaseorder SET care_package_id = agreement_id")

    log("reviews: 6-week ones for social workers, 12-month ones for the review team")
    _sql("""INSERT INTO reviews_review (state, kind, due_on, note, outcome, cancel_reason, scheduled_at, assigned_to_id,
                package_id, person_id, scheduled_by_id)
            SELECT CASE WHEN k.id %% 5 = 2 THEN 'done' ELSE 'scheduled' END,
                CASE WHEN k.id %% 5 = 1 THEN 'twelve_month' ELSE 'six_week' END,
                current_date + (k.id %% 60)::int - 20, '',
                CASE WHEN k.id %% 5 = 2 THEN 'The package meets the person''s needs' ELSE '' END, '',
                k.created_at, CASE WHEN k.id %% 5 = 1 THEN NULL ELSE p.allocated_worker_id END, k.id, k.person_id,
                k.created_by_id
            FROM packages_carepackage k JOIN people_person p ON p.id = k.person_id
            WHERE k.id %% 5 IN (0, 1, 2) AND p.allocated_worker_id IS NOT NULL""")
    _sql("""INSERT INTO reviews_reviewtransition (review_id, name, source, target, by_id, at, note)
            SELECT id, 'record', 'scheduled', 'done', assigned_to_id, scheduled_at + interval '6 weeks', outcome
            FROM reviews_review WHERE state = 'done'""")

    log("placements with their homes, viewings, assessments, fee offers and fee approvals")
    _sql(
        """INSERT INTO placements_placement (id, created_at, modified_at, state, requested_location, weekly_fee,
                admission_date, contract_pdf, contract_rendered_at, ending_reason, agreement_id, created_by_id,
                fee_approval_id, package_id, person_id, referral_id, requirement_id, service_type, team_id)
            SELECT j, r.allocated_at, r.allocated_at, s.pstate, 'Near their daughter in Eastbrook',
                CASE WHEN s.pstate = 'awaiting_fee_approval' THEN 1200
                     WHEN s.pstate IN ('fee_agreed', 'admission_set', 'commissioned') THEN 950 END,
                CASE WHEN s.pstate IN ('admission_set', 'commissioned') THEN r.submitted_at::date + 14 END,
                '', NULL, CASE WHEN s.pstate = 'not_placed' THEN 'The person chose to stay at home' ELSE '' END,
                a.id, r.allocated_to_id, NULL, a.id, r.person_id, r.id, NULL, r.service_type, r.team
            FROM generate_series(1, %(PL)s) j
            CROSS JOIN LATERAL (SELECT (%(pstates)s::text[])[1 + (j / 2) %% 12] AS pstate) s
            JOIN referrals_referral r ON r.id = %(RPL)s + j
            LEFT JOIN brokerage_serviceagreement a ON a.referral_id = r.id""",
        **q,
    )
    _sql(
        """INSERT INTO placements_placementhome (id, placement_id, provider_id, bid_id, off_framework_reason, outcome,
                viewed_on, viewing_notes, recorded_at, recorded_by_id)
            SELECT 3 * (pl.id - 1) + b + 1, pl.id, 1 + (pl.id + 7 * b) %% %(PROV)s, NULL,
                'No framework home had a room', CASE WHEN pl.state = 'viewings' THEN 'to_view'
                    WHEN b = 0 THEN 'suitable' ELSE 'not_suitable' END,
                CASE WHEN pl.state <> 'viewings' THEN pl.created_at::date + 3 END,
                CASE WHEN pl.state <> 'viewings' THEN 'Visited with her daughter' ELSE '' END,
                CASE WHEN pl.state <> 'viewings' THEN pl.created_at + interval '3 days' END,
                CASE WHEN pl.state <> 'viewings' THEN r.referred_by_id END
            FROM placements_placement pl JOIN referrals_referral r ON r.id = pl.referral_id
            CROSS JOIN generate_series(0, 2) b
            WHERE pl.state NOT IN ('sourcing', 'bidding', 'bids_in', 'not_placed')""",
        **q,
    )
    _sql("""INSERT INTO placements_placementassessment (placement_id, home_id, arranged_for, result, notes, arranged_at,
                arranged_by_id)
            SELECT pl.id, 3 * (pl.id - 1) + 1, pl.created_at::date + 5,
                CASE WHEN pl.state = 'assessment' THEN 'pending' ELSE 'accepted' END, '', pl.created_at + interval '4 days',
                pl.created_by_id
            FROM placements_placement pl
            WHERE pl.state NOT IN ('sourcing', 'bidding', 'bids_in', 'viewings', 'not_placed')""")
    _sql("""INSERT INTO placements_feeoffer (placement_id, offered_by, weekly_amount, note, recorded_at, recorded_by_id)
            SELECT pl.id, o.by, o.amount, '', pl.created_at + o.after, pl.created_by_id
            FROM placements_placement pl
            CROSS JOIN (VALUES ('provider', 1200, interval '6 days'), ('council', 950, interval '7 days')) o(by, amount, after)
            WHERE pl.state IN ('negotiating', 'awaiting_fee_approval', 'fee_agreed', 'admission_set', 'commissioned')""")
    _sql(
        """INSERT INTO approvals_approval (kind, plan_id, state, approved_weekly_amount, notes, requested_by_id,
                requested_at, decided_by_id, decided_at)
            SELECT 'fee', r.plan_id, 'requested', NULL, '', pl.created_by_id, pl.created_at + interval '8 days', NULL,
                NULL
            FROM placements_placement pl JOIN referrals_referral r ON r.id = pl.referral_id
            WHERE pl.state = 'awaiting_fee_approval'""",
    )
    _sql("""UPDATE placements_placement pl SET fee_approval_id = ap.id
            FROM referrals_referral r, approvals_approval ap
            WHERE r.id = pl.referral_id AND ap.plan_id = r.plan_id AND ap.kind = 'fee'""")
    _sql("""INSERT INTO placements_placementtransition (placement_id, name, source, target, by_id, at, note)
            SELECT id, 'publish', 'sourcing', state, created_by_id, created_at + interval '1 day', ''
            FROM placements_placement WHERE state <> 'sourcing'""")

    log("reablement cases with their plans' daily care, re-assessments and endings")
    _sql(
        f"""INSERT INTO reablement_reablementcase (id, created_at, modified_at, state, hospital, ward, referred_by_name,
                expected_discharge, needs, not_accepted_reason, weekly_hours, start_date, termination_reason,
                admitted_on, discharge_expected, last_day, termination_note, created_by_id, person_id, plan_id,
                referral_id, worker_id)
            SELECT j, at, at, rstate, 'North Middlesex University Hospital', 'Ward ' || (1 + j %% 12),
                'Discharge coordinator', at::date + 5, 'Help to wash, dress and make meals after a fall',
                CASE WHEN rstate = 'not_accepted' THEN 'Needs are long-term: referred for home care' ELSE '' END,
                CASE WHEN rstate IN ('referred', 'not_accepted', 'accepted') THEN NULL ELSE 14 END,
                CASE WHEN rstate IN ('referred', 'not_accepted', 'accepted') THEN NULL ELSE at::date + 6 END,
                CASE WHEN rstate IN ('termination_requested', 'terminated') THEN 'baseline' ELSE '' END,
                NULL, false,
                CASE WHEN rstate IN ('termination_requested', 'terminated') THEN at::date + 40 END,
                CASE WHEN rstate IN ('termination_requested', 'terminated') THEN 'Managing on her own again' ELSE '' END,
                %(spa)s, person,
                CASE WHEN rstate IN ('with_brokerage', 'change_requested', 'termination_requested', 'terminated')
                     THEN %(PRB)s + j END,
                CASE WHEN rstate IN ('with_brokerage', 'change_requested', 'termination_requested', 'terminated')
                     THEN %(RRB)s + j END,
                CASE WHEN rstate = 'referred' THEN NULL ELSE %(spa)s END
            FROM ({reablement_people}) x""",
        **q,
    )
    _sql("""INSERT INTO reablement_dailycare (case_id, day, hours, visits, reassessment_id)
            SELECT c.id, d, 2, 2, NULL FROM reablement_reablementcase c CROSS JOIN generate_series(1, 7) d
            WHERE c.weekly_hours IS NOT NULL""")
    _sql("""INSERT INTO reablement_reassessment (case_id, assessed_on, weekly_hours, previous_hours, effective_date,
                findings, evidence, recorded_at, applied_at, applied_by_id, recorded_by_id)
            SELECT id, created_at::date + 20, 10, 14, created_at::date + 27, 'Making breakfast on her own',
                'Seen making breakfast at two visits', created_at + interval '20 days', NULL, NULL, worker_id
            FROM reablement_reablementcase WHERE state = 'change_requested'""")
    _sql("""INSERT INTO reablement_dailycare (case_id, day, hours, visits, reassessment_id)
            SELECT r.case_id, d, 1.5, 1, r.id FROM reablement_reassessment r CROSS JOIN generate_series(1, 7) d""")
    steps = " ".join(f"WHEN '{state}' THEN '{name}'" for state, (name, _) in REABLEMENT_STEP.items())
    sources = " ".join(f"WHEN '{state}' THEN '{source}'" for state, (_, source) in REABLEMENT_STEP.items())
    _sql(f"""INSERT INTO reablement_casetransition (case_id, name, source, target, by_id, at, note)
            SELECT id, CASE state {steps} END, CASE state {sources} END, state, created_by_id,
                created_at + interval '1 day', ''
            FROM reablement_reablementcase WHERE state <> 'referred'""")
    _sql("UPDATE purchase_orders_purchaseorder SET care_package_id = agreement_id WHERE care_package_id IS NULL")
