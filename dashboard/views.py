from django.shortcuts import redirect, render

from accounts.roles import Role
from audit.services import record_list_view
from brokerage.selectors import QueueFilters, QueueView, queue, queue_counts, task_rows, task_values, team_workload
from changes.selectors import people_to_tell
from concerns.selectors import needing_action
from people.selectors import caseload
from placements.selectors import fee_approvals_awaiting, viewings_for
from reablement.selectors import open_cases, waiting_for_team
from referrals.selectors import referrals_awaiting_funding, referrals_made_by
from reviews.selectors import escalated_to_lead, review_team_counts, reviews_for_review_team, reviews_for_user
from reviews.workflows import State as ReviewState
from shared_lives.selectors import at_panel
from supported_living.selectors import for_worker as supported_living_for_worker
from supported_living.selectors import funding_awaiting as supported_living_funding


def home(request):
    """Each role's own work, on one page."""
    user = request.user
    if user.has_role(Role.PROVIDER_USER):
        return redirect("portal:home")  # a provider's staff have only the portal
    context = {"user_roles": user.role_labels}
    shown = []  # whose names the page lists, for the audit trail
    if user.is_practitioner:
        context["caseload"] = list(caseload(user)[:10])
        context["referrals_made"] = list(referrals_made_by(user)[:10])
        context["viewings"] = list(viewings_for(user)[:10])
        context["supported_living"] = list(supported_living_for_worker(user)[:10])
        shown += [p.person_id for p in context["supported_living"]]
        context["reviews_due"] = list(reviews_for_user(user)[:20])
        context["to_tell"] = list(people_to_tell(user)[:20])
        shown += [c.referral.person_id for c in context["to_tell"]]
        shown += [p.pk for p in context["caseload"]] + [r.person_id for r in context["referrals_made"]]
        shown += [r.person_id for r in context["reviews_due"]] + [p.person_id for p in context["viewings"]]
    if user.has_role(Role.SPA_WORKER):
        context["reablement_cases"] = list(open_cases()[:10])
        shown += [c.person_id for c in context["reablement_cases"]]
    if user.is_brokerage:
        context["counts"] = queue_counts(user)
        my_tasks = list(task_values(queue(user, QueueFilters(view=QueueView.MINE)))[:10])
        context["my_tasks"] = task_rows(my_tasks)
        context["team_label"] = user.team.name
        context["reablement_waiting"] = list(waiting_for_team(user.team_id)[:20])
        shown += [c.person_id for c in context["reablement_waiting"]]
        shown += [r["person_id"] for r in my_tasks]
        if user.is_team_lead:
            context["workload"] = team_workload(user.team_id)
            context["escalated_reviews"] = list(escalated_to_lead(user)[:50])
            shown += [r.person_id for r in context["escalated_reviews"]]
    if user.has_role(Role.CAP_MEMBER, Role.HEAD_OF_SERVICE):
        context["awaiting_funding"] = list(referrals_awaiting_funding(user)[:20])
        shown += [r.person_id for r in context["awaiting_funding"]]
    if user.has_role(Role.CAP_MEMBER):
        context["shared_lives_at_panel"] = list(at_panel()[:20])
        shown += [a.person_id for a in context["shared_lives_at_panel"]]
        context["supported_living_funding"] = list(supported_living_funding()[:20])
        shown += [p.person_id for p in context["supported_living_funding"]]
    if user.has_role(Role.HEAD_OF_SERVICE):
        context["fee_approvals"] = list(fee_approvals_awaiting(user)[:20])
        shown += [p.person_id for p in context["fee_approvals"]]
    if user.has_role(Role.FIRST_RESPONSE, Role.MONITORING_OFFICER, Role.CONTRACT_MONITORING):
        context["inbox"] = list(needing_action(user)[:20])
        shown += [c.person_id for c in context["inbox"]]
    if user.has_role(Role.REVIEW_TEAM):
        context["team_review_counts"] = review_team_counts()
        context["team_overdue"] = list(reviews_for_review_team(ReviewState.OVERDUE)[:50])
        context["team_due"] = list(reviews_for_review_team(ReviewState.DUE)[:50])
        context["team_reviews"] = list(reviews_for_review_team(ReviewState.SCHEDULED)[:50])
        for reviews in (context["team_overdue"], context["team_due"], context["team_reviews"]):
            shown += [r.person_id for r in reviews]
    record_list_view(actor=user, what="their home page", people=shown)
    context["is_dps_team"] = user.has_role(Role.DPS_TEAM)
    context["is_finance"] = user.has_role(Role.FINANCE_OFFICER)
    return render(request, "dashboard/home.html", context)
