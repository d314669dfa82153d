"""A database made before approvals upgrades: each plan's funding decisions become its approvals, with every
decision a logged step in order, and each referral still awaiting funding has an approval to decide. Migrated
back, the steps are funding decisions again."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

LONDON = ZoneInfo("Europe/London")
BEFORE = [
    ("approvals", None),  # and people 0011, which deletes FundingDecision once its rows are approvals
    ("people", "0010_alter_careandsupportplan_service_type"),
    ("referrals", "0007_alter_referral_service_type_alter_referral_team"),
]


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=LONDON)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets if targets != "latest" else executor.loader.graph.leaf_nodes())
    return executor


def _old_apps(executor):
    """The models as they were before approvals: as the database has them now, every migration applied so far."""
    applied = MigrationRecorder(connection).applied_migrations()
    return executor.loader.project_state([node for node in applied if node in executor.loader.graph.nodes]).apps


@pytest.fixture
def before_approvals(transactional_db):
    """The database as it was before approvals, and at the latest migration again afterwards, pass or fail."""
    yield _old_apps(_migrate(BEFORE))
    _migrate("latest")


class OldCounty:
    """Rows as they were before approvals, made with the models of that time."""

    def __init__(self, apps):
        self.apps = apps
        user = apps.get_model("accounts", "User")
        self.sw = user.objects.create(username="sam", first_name="Sam", last_name="Okafor")
        self.cap = user.objects.create(username="cara", first_name="Cara", last_name="Panel")
        self.hos = user.objects.create(username="hana", first_name="Hana", last_name="Head")
        area = apps.get_model("brokerage", "Area").objects.create(name="Eastbrook", team_id="east")
        self.person = apps.get_model("people", "Person").objects.create(
            first_name="Ada",
            last_name="Lovelace",
            date_of_birth=date(1940, 1, 1),
            address_line_1="1 High Street",
            town="Eastbrook",
            postcode="E1 1AA",
            area=area,
            allocated_worker=self.sw,
        )
        self.versions = 0

    def plan(self, service_type="home_care"):
        self.versions += 1
        return self.apps.get_model("people", "CareAndSupportPlan").objects.create(
            person=self.person, version=self.versions, service_type_id=service_type, outcomes="To stay at home"
        )

    def decision(self, plan, route, decision, by, when, amount=None, notes=""):
        decisions = self.apps.get_model("people", "FundingDecision").objects
        made = decisions.create(
            plan=plan, route=route, decision=decision, approved_weekly_amount=amount, notes=notes, decided_by=by
        )
        decisions.filter(pk=made.pk).update(decided_at=when)  # decided_at is auto_now_add

    def referral(self, plan, state, sent_at=None):
        referral = self.apps.get_model("referrals", "Referral").objects.create(
            person=self.person,
            plan=plan,
            kind="support_plan",
            service_type_id=plan.service_type_id,
            details="Needs support at home",
            team_id="east",
            referred_by=self.sw,
            state=state,
            submitted_at=at(1),
        )
        if sent_at is not None:
            steps = self.apps.get_model("referrals", "ReferralTransition").objects
            step = steps.create(
                referral=referral, name="send_for_funding", source="draft", target="awaiting_funding", by=self.sw
            )
            steps.filter(pk=step.pk).update(at=sent_at)
        return referral


@pytest.mark.django_db(transaction=True)
def test_funding_decisions_become_approvals_with_their_steps_and_back(before_approvals):
    old = OldCounty(before_approvals)
    # Deferred, then approved: one approval, two steps.
    deferred_then_approved = old.plan()
    old.referral(deferred_then_approved, "queued", sent_at=at(2))
    old.decision(deferred_then_approved, "panel", "deferred", old.cap, at(3), notes="Needs the OT report")
    old.decision(deferred_then_approved, "panel", "approved", old.cap, at(10), Decimal("262.50"), "Agreed")
    # Out of panel, declined, then approved when sent again: a final decision ends an approval.
    declined_then_approved = old.plan("residential")
    old.decision(declined_then_approved, "out_of_panel", "declined", old.hos, at(4), notes="Home care first")
    old.decision(declined_then_approved, "out_of_panel", "approved", old.hos, at(20), Decimal("950.00"))
    # Awaiting funding, no decision yet: an approval is asked for.
    awaiting = old.plan()
    old.referral(awaiting, "awaiting_funding", sent_at=at(5, 9))
    # Awaiting funding after a deferral: the deferred approval is the one it waits on.
    awaiting_deferred = old.plan()
    old.referral(awaiting_deferred, "awaiting_funding", sent_at=at(6))
    old.decision(awaiting_deferred, "panel", "deferred", old.cap, at(7), notes="More information")

    _migrate("latest")

    from approvals.models import Approval
    from approvals.selectors import approved_weekly_amount, is_approved

    def approvals_of(plan):
        return list(Approval.objects.filter(plan_id=plan.pk).order_by("id"))

    def steps_of(approval):
        return [(s.name, s.source, s.target, s.by_id, s.at, s.note) for s in approval.transitions.order_by("id")]

    [approval] = approvals_of(deferred_then_approved)
    assert (approval.kind, approval.state, approval.approved_weekly_amount, approval.notes) == (
        "panel",
        "approved",
        Decimal("262.50"),
        "Agreed",
    )
    assert (approval.requested_by_id, approval.requested_at) == (old.sw.pk, at(2))  # who sent it, when
    assert (approval.decided_by_id, approval.decided_at) == (old.cap.pk, at(10))
    assert steps_of(approval) == [
        ("defer", "requested", "deferred", old.cap.pk, at(3), "Needs the OT report"),
        ("approve", "deferred", "approved", old.cap.pk, at(10), "Agreed"),
    ]
    assert is_approved(deferred_then_approved.pk) and approved_weekly_amount(deferred_then_approved.pk) == 262.5

    declined, approved = approvals_of(declined_then_approved)
    assert (declined.kind, declined.state, declined.approved_weekly_amount) == ("out_of_panel", "declined", None)
    assert steps_of(declined) == [("decline", "requested", "declined", old.hos.pk, at(4), "Home care first")]
    # No referral step says who asked: its first decider, as they decided.
    assert (declined.requested_by_id, declined.requested_at) == (old.hos.pk, at(4))
    assert steps_of(approved) == [("approve", "requested", "approved", old.hos.pk, at(20), "")]
    assert approved.approved_weekly_amount == Decimal("950.00")

    [asked] = approvals_of(awaiting)
    assert (asked.kind, asked.state, asked.requested_by_id, asked.requested_at) == (
        "panel",
        "requested",
        old.sw.pk,
        at(5, 9),
    )
    assert (asked.decided_by_id, asked.decided_at, steps_of(asked)) == (None, None, [])

    [still_deferred] = approvals_of(awaiting_deferred)
    assert (still_deferred.state, still_deferred.requested_at) == ("deferred", at(6))
    assert not is_approved(awaiting_deferred.pk)
    assert Approval.objects.count() == 5

    # Back again: every step is a funding decision once more, as it was.
    decisions = _old_apps(_migrate(BEFORE)).get_model("people", "FundingDecision").objects
    assert sorted(
        decisions.values_list(
            "plan_id", "route", "decision", "approved_weekly_amount", "notes", "decided_by", "decided_at"
        )
    ) == sorted(
        [
            (deferred_then_approved.pk, "panel", "deferred", None, "Needs the OT report", old.cap.pk, at(3)),
            (deferred_then_approved.pk, "panel", "approved", Decimal("262.50"), "Agreed", old.cap.pk, at(10)),
            (declined_then_approved.pk, "out_of_panel", "declined", None, "Home care first", old.hos.pk, at(4)),
            (declined_then_approved.pk, "out_of_panel", "approved", Decimal("950.00"), "", old.hos.pk, at(20)),
            (awaiting_deferred.pk, "panel", "deferred", None, "More information", old.cap.pk, at(7)),
        ]
    )
