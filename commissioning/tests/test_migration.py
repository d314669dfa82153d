"""A database from before commissioning upgrades: each referral's sourcing, kept on the referral's own states and
log, becomes its commission at the same step, with the provider it chose and its logged steps moved across (times,
people and notes kept); the referral goes back to "allocated" or stays "active"."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dps.tests.factories import active, allocated, awarded, closed, published, selected
from people.tests.factories import make_person
from referrals import services as referral_services
from referrals.tests.factories import sourcing_support_referral

BEFORE = [("referrals", "0007_alter_referral_service_type_alter_referral_team"), ("commissioning", None)]
AS_OLD_STATE = {"sourcing": "allocated", "commissioned": "active"}


def _as_it_was(case):
    """The referral's state and log as the referral's own machine kept them before commissioning."""
    commission = case.commission
    steps = [
        (t.name, AS_OLD_STATE.get(t.source, t.source), AS_OLD_STATE.get(t.target, t.target), t.by_id, t.at, t.note)
        for t in commission.transitions.all()
        if t.name != "stop"  # the referral's withdrawal, before commissioning, stopped nothing
    ]
    state = {"sourcing": "allocated", "commissioned": "active"}.get(commission.state, commission.state)
    if case.referral.state == "withdrawn":
        state = "withdrawn"
    return {
        "referral": case.referral.pk,
        "state": state,
        "chosen": (commission.chosen_provider_id, commission.chosen_bid_id, commission.spot_contract_reason),
        "steps": steps,
    }


def _put_back(old):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referral SET state = %s, chosen_provider_id = %s, chosen_bid_id = %s, "
            "spot_contract_reason = %s WHERE id = %s",
            [old["state"], *old["chosen"], old["referral"]],
        )
        cursor.execute(
            "DELETE FROM referrals_referraltransition WHERE referral_id = %s AND name = 'record_commissioned'",
            [old["referral"]],
        )
        for name, source, target, by_id, at, note in old["steps"]:
            cursor.execute(
                "INSERT INTO referrals_referraltransition (referral_id, name, source, target, by_id, at, note) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [old["referral"], name, source, target, by_id, at, note],
            )


@pytest.mark.django_db(transaction=True)
def test_a_database_with_sourcing_on_the_referral_upgrades(
    settings, tmp_path, social_worker, east_area, cap_member, officer_east
):
    settings.MEDIA_ROOT = tmp_path

    def person():
        return make_person(social_worker, east_area)

    cases = {
        "allocated": allocated(person(), cap_member, officer_east),
        "bidding_closed": closed(person(), cap_member, officer_east),
        "provider_selected": selected(person(), cap_member, officer_east),
        "details_shared": awarded(person(), cap_member, officer_east),
        "active": active(person(), cap_member, officer_east),
    }
    gone = published(person(), cap_member, officer_east)
    referral_services.withdraw_referral(gone.referral, acting_user=social_worker, reason="Moved away")
    cases["withdrawn"] = gone.refresh()
    support = referral_services.take_referral(
        sourcing_support_referral(social_worker, person()), acting_user=officer_east
    )
    old = {key: _as_it_was(case) for key, case in cases.items()}

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        for case in old.values():
            _put_back(case)
        with connection.cursor() as cursor:  # before commissioning a withdrawal left the requirement open for bids
            cursor.execute(
                "UPDATE dps_dpsrequirement SET status = 'open', selection_reason = '' WHERE id = %s",
                [gone.requirement.pk],
            )
            cursor.execute(
                "DELETE FROM dps_requirementtransition WHERE requirement_id = %s AND name = 'withdraw'",
                [gone.requirement.pk],
            )
    finally:  # forward again, whatever happened: the tests after this one need the tables
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from commissioning.models import Commission
    from referrals.models import Referral

    assert not Commission.objects.filter(referral=support).exists()
    for key, was in old.items():
        referral = Referral.objects.get(pk=was["referral"])
        commission = Commission.objects.get(referral=referral)
        expected_state = {"allocated": "sourcing", "active": "commissioned", "withdrawn": "stopped"}
        assert commission.state == expected_state.get(key, key), key
        assert referral.state == {"active": "active", "withdrawn": "withdrawn"}.get(key, "allocated"), key
        assert (commission.chosen_provider_id, commission.chosen_bid_id, commission.spot_contract_reason) == was[
            "chosen"
        ]
        moved = [
            (t.name, AS_OLD_STATE.get(t.source, t.source), AS_OLD_STATE.get(t.target, t.target), t.by_id, t.at, t.note)
            for t in commission.transitions.all()
        ]
        assert moved == was["steps"], key
        names = [t.name for t in referral.transitions.all()]
        assert not set(names) & {"publish_requirement", "close_bidding", "select_provider", "award"}, key
        if key == "active":
            record = referral.transitions.get(name="record_commissioned")
            ordered = next(s for s in was["steps"] if s[0] == "issue_purchase_order")
            assert (record.source, record.target, record.at, record.note) == (
                "allocated",
                "active",
                ordered[4],
                ordered[5],
            )

    # The withdrawn referral's requirement no longer takes bids: withdrawn by whoever withdrew the referral.
    from dps.models import DPSRequirement

    requirement = DPSRequirement.objects.get(pk=gone.requirement.pk)
    assert (requirement.status, requirement.selection_reason) == ("not_awarded", "The referral was withdrawn.")
    step = requirement.transitions.get(name="withdraw")
    assert (step.source, step.by, step.note) == ("open", social_worker, "Moved away")

    # And the upgraded commissions carry on from where they were.
    from commissioning import services as commissioning

    agreed = Commission.objects.get(referral_id=old["details_shared"]["referral"])
    version = commissioning.issue_purchase_order(agreed, acting_user=officer_east)
    assert Referral.objects.get(pk=agreed.referral_id).state == "active" and version.purchase_order is not None
