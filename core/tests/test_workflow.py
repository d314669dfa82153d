"""The one workflow engine (core.workflow) every state machine runs on: what a page offers comes from the
machine, refusals explain themselves, every step is logged and audited, each machine has its picture, and each
declared step has a test that takes it and a test that is refused it."""

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings

import dps.models  # noqa: F401  (declares its machine)
import referrals.models  # noqa: F401
from audit.models import AuditEvent
from commissioning.models import COMMISSION_MACHINE, Commission
from core.exceptions import ActionRefused
from core.workflow import MACHINES
from referrals.models import REFERRAL_MACHINE, ReferralTransition
from referrals.services import take_referral
from referrals.tests.factories import urgent_referral
from referrals.workflows import State


def _names(actions):
    return [a.name for a in actions]


def test_a_page_offers_each_user_only_the_steps_the_machine_allows_them_now(
    social_worker, person, officer_east, officer_west, lead_east
):
    referral = urgent_referral(social_worker, person)
    assert referral.state == State.QUEUED
    assert _names(REFERRAL_MACHINE.actions(referral, officer_east)) == ["take"]
    assert _names(REFERRAL_MACHINE.actions(referral, lead_east)) == ["take", "allocate"]  # a lead is an officer too
    assert _names(REFERRAL_MACHINE.actions(referral, social_worker)) == ["withdraw"]
    assert REFERRAL_MACHINE.actions(referral, officer_west) == []


def test_a_step_whose_form_supplies_its_condition_is_offered_before_the_condition_holds(
    social_worker, person, officer_east
):
    referral = take_referral(urgent_referral(social_worker, person), acting_user=officer_east)
    commission = Commission.objects.get(referral=referral)
    # Publishing needs a live requirement, which the publish form makes: offered now, refused if taken directly.
    assert "publish_requirement" in _names(COMMISSION_MACHINE.actions(commission, officer_east))
    with pytest.raises(ActionRefused, match="Publish a requirement first."):
        COMMISSION_MACHINE.apply(commission, "publish_requirement", acting_user=officer_east)


def test_a_step_is_logged_with_who_when_from_to_and_why_and_audited(social_worker, person, officer_east):
    referral = take_referral(urgent_referral(social_worker, person), acting_user=officer_east)
    REFERRAL_MACHINE.apply(referral, "withdraw", acting_user=social_worker, note="No longer needed")
    step = ReferralTransition.objects.filter(referral=referral).last()
    assert (step.name, step.source, step.target, step.by, step.note) == (
        "withdraw",
        State.ALLOCATED,
        State.WITHDRAWN,
        social_worker,
        "No longer needed",
    )
    assert step.at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.TRANSITIONED, summary__startswith="withdraw")
    assert (event.person_id, event.object_id, event.summary) == (
        person.pk,
        str(referral.pk),
        "withdraw: allocated → withdrawn",
    )
    assert event.changes["note"] == "No longer needed"


@pytest.mark.parametrize(
    "step, who, reason",
    [
        ("record_commissioned", "officer_east", "A referral that is “in the team queue” cannot do this."),
        ("take", "officer_west", "You do not have permission to do this to this referral."),
        ("return_options", "officer_east", "A referral that is “in the team queue” cannot do this."),
    ],
)
def test_a_refused_step_says_why_and_changes_nothing(step, who, reason, request, social_worker, person):
    referral = urgent_referral(social_worker, person)
    with pytest.raises(ActionRefused, match=re.escape(reason)):
        REFERRAL_MACHINE.apply(referral, step, acting_user=request.getfixturevalue(who))
    referral.refresh_from_db()
    assert referral.state == State.QUEUED
    assert not ReferralTransition.objects.filter(referral=referral, name=step).exists()


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.noun)
def test_each_machine_draws_its_picture_with_every_state_and_step_and_marks_where_it_is(machine):
    labels = machine.labels()
    assert set(machine.layout) == set(labels), "every state has a place in the picture"
    current = next(iter(machine.layout))
    html = machine.picture(current)
    for label in labels.values():
        assert f">{label}</text>" in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert f"{labels[current]} (it is here)" in html.replace("&#x27;", "'")
    for _, _, name in machine.edges():
        assert name in html


def _step_test_modules():
    """Test modules that name the tests of a machine's steps (MACHINE and STEP_TESTS)."""
    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("*/tests/test_*.py")):
        module = import_module(".".join(path.relative_to(root).with_suffix("").parts))
        if hasattr(module, "STEP_TESTS"):
            yield module


def _test_exists(module, reference: str) -> bool:
    """A test named in the module, or as path::name[parameter] in another, whose parameter is one it runs with."""
    if "::" in reference:
        path, reference = reference.split("::")
        module = import_module(path.removesuffix(".py").replace("/", "."))
    name, _, parameter = reference.partition("[")
    test = getattr(module, name, None)
    if not callable(test):
        return False
    if not parameter:
        return True
    values = [v for mark in getattr(test, "pytestmark", []) if mark.name == "parametrize" for v in mark.args[1]]
    return parameter.rstrip("]") in [str(v) for v in values]


def test_every_step_of_every_machine_has_a_test_taking_it_and_a_test_refusing_it():
    covered = {module.MACHINE: module for module in _step_test_modules()}
    for machine in MACHINES:
        assert machine in covered, f"no test module names the steps of the {machine.noun} machine"
        module = covered[machine]
        declared = {step.name for step in machine.steps()}
        assert set(module.STEP_TESTS) == declared, f"{module.__name__}: steps without tests, or tests of no step"
        for step, (allowed, refused) in module.STEP_TESTS.items():
            assert allowed and refused, f"{machine.noun} step {step} needs a test taking it and one refusing it"
            missing = [t for t in allowed + refused if not _test_exists(module, t)]
            assert not missing, f"{machine.noun} step {step}: no such test {missing}"
