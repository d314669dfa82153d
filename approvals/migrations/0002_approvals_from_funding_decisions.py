"""Funding decisions become approvals; people 0011 then deletes people.FundingDecision.

A plan's decisions, route by route and in the order they were made, become the logged steps of one approval:
deferred then approved is one approval with two steps, each with who made it, when and its notes. A decision after
a final one (declined, then approved when the plan was sent again) starts another approval, as the machine would.
Each approval was asked for by whoever sent the plan for funding, when they did (the referral's send_for_funding
step), or, if no step says so, by its first decider as they decided. Then every referral still awaiting funding
with no open approval gets one in `requested`, so the decision it waits for has an approval to decide.

Backwards, each logged step is a funding decision again; an approval still awaiting its first decision was none.
"""

from collections import defaultdict

from django.db import migrations

# catalogue.codes.OUT_OF_PANEL_SERVICES as this was written: a migration does not follow later code.
OUT_OF_PANEL_SERVICES = ("residential", "nursing", "supported_living")
STEP = {"approved": "approve", "declined": "decline", "deferred": "defer"}
FINAL = ("approved", "declined")
OPEN = ("requested", "deferred")
FUNDING = ("panel", "out_of_panel")
BATCH = 1000


def _sent_for_funding(apps) -> dict:
    """plan id -> [(when, by whom)] each time a referral sent the plan for funding, oldest first."""
    ReferralTransition = apps.get_model("referrals", "ReferralTransition")
    sent = defaultdict(list)
    steps = ReferralTransition.objects.filter(name="send_for_funding", referral__plan__isnull=False)
    for plan_id, at, by_id in steps.order_by("at", "id").values_list("referral__plan_id", "at", "by_id").iterator():
        sent[plan_id].append((at, by_id))
    return sent


def _asked(sent: dict, plan_id: int, before) -> tuple | None:
    """When and by whom the plan was last sent for funding before `before`, if a step says so."""
    earlier = [s for s in sent.get(plan_id, ()) if before is None or s[0] <= before]
    return earlier[-1] if earlier else None


def _save(apps, approvals: list, steps: list) -> None:
    """Insert the approvals and their steps, then put back the times that auto_now_add overwrote on insert."""
    Approval = apps.get_model("approvals", "Approval")
    ApprovalTransition = apps.get_model("approvals", "ApprovalTransition")
    asked_at = [approval.requested_at for approval in approvals]
    Approval.objects.bulk_create(approvals)
    for approval, at in zip(approvals, asked_at, strict=True):
        approval.requested_at = at
    Approval.objects.bulk_update(approvals, ["requested_at"])
    made = []
    for approval_index, step in steps:
        step.approval_id = approvals[approval_index].pk
        made.append(step)
    taken_at = [step.at for step in made]
    ApprovalTransition.objects.bulk_create(made)
    for step, at in zip(made, taken_at, strict=True):
        step.at = at
    ApprovalTransition.objects.bulk_update(made, ["at"])


def decisions_to_approvals(apps, schema_editor):
    FundingDecision = apps.get_model("people", "FundingDecision")
    Approval = apps.get_model("approvals", "Approval")
    ApprovalTransition = apps.get_model("approvals", "ApprovalTransition")
    Referral = apps.get_model("referrals", "Referral")
    sent = _sent_for_funding(apps)

    def approval_of(run: list):
        first, last = run[0], run[-1]
        at, by_id = _asked(sent, first.plan_id, first.decided_at) or (first.decided_at, first.decided_by_id)
        approval = Approval(
            plan_id=first.plan_id,
            kind=first.route,
            state=last.decision,  # set once, as it is built: the state field is protected
            approved_weekly_amount=last.approved_weekly_amount,
            notes=last.notes,
            requested_by_id=by_id,
            decided_by_id=last.decided_by_id,
            decided_at=last.decided_at,
        )
        approval.requested_at = at
        return approval

    def steps_of(run: list):
        source = "requested"
        for decision in run:
            step = ApprovalTransition(
                name=STEP[decision.decision],
                source=source,
                target=decision.decision,
                by_id=decision.decided_by_id,
                note=decision.notes,
            )
            step.at = decision.decided_at
            source = decision.decision
            yield step

    runs, run, key = [], None, None

    def flush():
        approvals, steps = [], []
        for each in runs:
            approvals.append(approval_of(each))
            steps += [(len(approvals) - 1, step) for step in steps_of(each)]
        _save(apps, approvals, steps)
        runs.clear()

    decisions = FundingDecision.objects.order_by("plan_id", "route", "decided_at", "id")
    for decision in decisions.iterator():
        if (decision.plan_id, decision.route) != key or run[-1].decision in FINAL:
            key, run = (decision.plan_id, decision.route), []
            runs.append(run)
            if len(runs) > BATCH:  # every run but the one just begun is complete
                runs.pop()
                flush()
                runs.append(run)
        run.append(decision)
    flush()

    # Every referral awaiting funding has an open approval for its decision to decide.
    open_now = set(Approval.objects.filter(state__in=OPEN).values_list("plan_id", "kind"))
    asked = []
    awaiting = Referral.objects.filter(state="awaiting_funding", plan__isnull=False).select_related("plan")
    for referral in awaiting.order_by("submitted_at", "id").iterator():
        kind = "out_of_panel" if referral.plan.service_type_id in OUT_OF_PANEL_SERVICES else "panel"
        if (referral.plan_id, kind) in open_now:
            continue
        open_now.add((referral.plan_id, kind))
        at, by_id = _asked(sent, referral.plan_id, None) or (
            referral.submitted_at or referral.created_at,
            referral.referred_by_id,
        )
        approval = Approval(plan_id=referral.plan_id, kind=kind, state="requested", requested_by_id=by_id)
        approval.requested_at = at
        asked.append(approval)
    for start in range(0, len(asked), BATCH):
        _save(apps, asked[start : start + BATCH], [])


def approvals_to_decisions(apps, schema_editor):
    FundingDecision = apps.get_model("people", "FundingDecision")
    ApprovalTransition = apps.get_model("approvals", "ApprovalTransition")
    steps = ApprovalTransition.objects.filter(approval__kind__in=FUNDING).select_related("approval")
    batch = []

    def flush():
        decided_at = [decision.decided_at for decision in batch]
        FundingDecision.objects.bulk_create(batch)
        for decision, at in zip(batch, decided_at, strict=True):
            decision.decided_at = at
        FundingDecision.objects.bulk_update(batch, ["decided_at"])
        batch.clear()

    for step in steps.order_by("at", "id").iterator():
        decision = FundingDecision(
            plan_id=step.approval.plan_id,
            route=step.approval.kind,
            decision=step.target,
            approved_weekly_amount=step.approval.approved_weekly_amount if step.target == "approved" else None,
            notes=step.note,
            decided_by_id=step.by_id,
        )
        decision.decided_at = step.at
        batch.append(decision)
        if len(batch) >= BATCH:
            flush()
    flush()


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_initial"),
        ("people", "0010_alter_careandsupportplan_service_type"),
        ("referrals", "0007_alter_referral_service_type_alter_referral_team"),
    ]

    operations = [migrations.RunPython(decisions_to_approvals, approvals_to_decisions)]
