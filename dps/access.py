from django.core.exceptions import PermissionDenied
from django.http import Http404

from referrals.access import access_referral

from .models import DPSRequirement, SpotContractNotice

SHORTLIST_REFUSED = "Only the Brokerage team this referral belongs to can see its shortlist of providers."


def access_referral_for_shortlist(user, referral_id: int):
    """The referral, if the user is a Brokerage officer or lead of its team; not found if they cannot see it."""
    referral = access_referral(user, referral_id)
    if not (user.is_brokerage and user.team_id == referral.team_id):
        raise PermissionDenied(SHORTLIST_REFUSED)
    return referral


def access_requirement_for_officer(user, requirement_id: int) -> DPSRequirement:
    """A requirement of a referral the user can see, for Brokerage staff of its team."""
    requirement = DPSRequirement.objects.select_related("referral", "arrangement").filter(pk=requirement_id).first()
    if requirement is None:
        raise Http404("No such requirement")
    access_referral(user, requirement.referral_id)
    if not (user.is_brokerage and user.team_id == requirement.referral.team_id):
        raise PermissionDenied("Requirements and their bids are for the Brokerage team working the case.")
    return requirement


def access_notice(user, notice_id: int) -> SpotContractNotice:
    notice = SpotContractNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        raise Http404("No such notice")
    return notice
