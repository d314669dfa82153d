"""Scoped look-ups for provider users: their organisation's objects, or not found.

Someone else's id never reveals that it exists: another provider's bid, agreement or order, and a
requirement not open to this provider, are all "not found", the same as an id that was never used.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.cache import add_never_cache_headers

from accounts.roles import Role
from brokerage.models import ServiceAgreement
from dps.models import Bid, DPSRequirement
from dps.selectors import is_open_to
from purchase_orders.models import PurchaseOrder

NOT_A_PROVIDER = "The provider portal is for care providers' staff."


def provider_of(user):
    """The organisation a provider user works for; anyone else is refused."""
    provider = getattr(user, "provider", None)
    if not (user.is_authenticated and user.has_role(Role.PROVIDER_USER) and provider is not None):
        raise PermissionDenied(NOT_A_PROVIDER)
    return provider


def provider_required(view):
    """Every portal view: a provider user with an organisation, or 403 before anything is looked up.

    Nothing is kept by a browser or proxy: the pages hold sealed bids and, after award, personal data.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        provider_of(request.user)
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapped


def access_requirement(user, requirement_id: int) -> DPSRequirement:
    """A requirement open to the user's organisation, or one it has bid on.

    Only the requirement's own fields are loaded: never its referral, nor the person behind it.
    """
    provider = provider_of(user)
    requirement = DPSRequirement.objects.select_related("arrangement").filter(pk=requirement_id).first()
    if requirement is None or not (
        is_open_to(requirement, provider) or Bid.objects.filter(requirement=requirement, provider=provider).exists()
    ):
        raise Http404("No such requirement, or not one open to your organisation")
    return requirement


def may_read_requirement(requirement: DPSRequirement, provider, bid: Bid | None) -> bool:
    """The requirement's text (the package, its outcomes, the CSV): while it is open to the provider, while
    the provider's bid is being considered, and for the provider it is awarded to. Once it is decided, any
    other bidder sees only the outcome of its own bid: the package went to someone else."""
    if requirement.status == DPSRequirement.Status.OPEN:
        return bid is not None or is_open_to(requirement, provider)
    if requirement.status == DPSRequirement.Status.CLOSED:
        return bid is not None
    return (
        bid is not None
        and requirement.status == DPSRequirement.Status.AWARDED
        and requirement.selected_bid_id == bid.pk
    )


def own_bid(user, requirement: DPSRequirement) -> Bid | None:
    """The user's organisation's bid on the requirement, with its answers; never anyone else's."""
    return (
        Bid.objects.filter(requirement=requirement, provider=provider_of(user))
        .prefetch_related("answers__outcome")
        .first()
    )


def access_agreement(user, agreement_id: int) -> ServiceAgreement:
    """An agreement awarded to the user's organisation: from here it may see the person."""
    provider = provider_of(user)
    agreement = (
        ServiceAgreement.objects.select_related("person", "provider", "referral__plan")
        .filter(pk=agreement_id, provider=provider)
        .first()
    )
    if agreement is None:
        raise Http404("No such service agreement, or not one awarded to your organisation")
    return agreement


def access_purchase_order(user, order_id: int) -> PurchaseOrder:
    """A purchase order issued to the user's organisation."""
    provider = provider_of(user)
    order = (
        PurchaseOrder.objects.select_related("agreement__person", "provider")
        .filter(pk=order_id, provider=provider)
        .first()
    )
    if order is None:
        raise Http404("No such purchase order, or not one issued to your organisation")
    return order
