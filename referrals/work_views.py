"""For the apps whose work on a referral is done from the referral's page (catalogue.sourcing: a commission, a
change): their views are given that work, and are turned back to the referral's page with the reason."""

from functools import wraps

from core.exceptions import ActionRefused
from core.views import refuse

from .access import access_referral


def refused_on_referral(request, work, refusal: ActionRefused):
    """Back to the work's referral, saying why (and on its audit trail)."""
    referral = work.referral
    return refuse(request, refusal, obj=referral, person=referral.person, redirect_to=referral.get_absolute_url())


def _seen(request, referral_id: int):
    return access_referral(request.user, referral_id)


def with_own_work(work_of, *, missing: str, access=_seen):
    """A view decorator: the view is given the referral's work (`work_of(referral)`), the referral read through
    `access(request, referral_id)` (not found if the user may not see it); a referral with no such work yet is
    turned back to its page with `missing`."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, referral_id: int):
            referral = access(request, referral_id)
            work = work_of(referral)
            if work is None:
                return refuse(
                    request,
                    ActionRefused(missing),
                    obj=referral,
                    person=referral.person,
                    redirect_to=referral.get_absolute_url(),
                )
            work.referral = referral  # its steps ask about the referral already read
            return view(request, work)

        return wrapped

    return decorate
