from django.http import Http404

from accounts.roles import Role

from .models import ReablementCase


def can_see_case(user, case) -> bool:
    """SPA's team, and the Brokerage team the case's referral went to."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.has_role(Role.SPA_WORKER):
        return True
    return case.referral_id is not None and user.is_brokerage and user.team_id == case.referral.team_id


def access_case(user, case_id: int) -> ReablementCase:
    """A case the user may see, or not found."""
    case = ReablementCase.objects.select_related("person", "worker", "referral", "plan").filter(pk=case_id).first()
    if case is None or not can_see_case(user, case):
        raise Http404("No such reablement case, or not one you can see")
    return case
