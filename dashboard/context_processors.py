"""The navigation every page shows: the pages of every app that each role works in, so it lives on the top floor."""

from functools import cache

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role


def _items(user) -> list[tuple[str, str]]:
    items = [("Home", "home")]
    if user.is_practitioner:
        items += [("My caseload", "people:list"), ("Record a person", "people:create")]
    if user.is_brokerage:
        items += [("Task queue", "brokerage:queue")]
    if user.has_role(Role.CAP_MEMBER, Role.HEAD_OF_SERVICE):
        items += [("Funding decisions", "referrals:funding_list")]
    if user.has_role(Role.FIRST_RESPONSE, Role.MONITORING_OFFICER, Role.CONTRACT_MONITORING):
        items += [("Inbox", "concerns:inbox")]
    if user.is_brokerage or user.has_role(Role.DPS_TEAM, Role.CONTRACT_MONITORING, Role.FINANCE_OFFICER):
        items += [("Providers", "providers:list")]
    if user.has_role(Role.DPS_TEAM):
        items += [("Purchasing arrangements", "arrangements:list"), ("Providers to enrol", "dps:notices")]
    if user.has_role(Role.FINANCE_OFFICER):
        items += [("Purchase orders", "purchase_orders:list")]
    if user.has_role(Role.PROVIDER_USER):
        return [("Provider portal", "portal:home")]
    items += [("How referrals work", "referrals:workflow")]
    return items


@cache
def _url(name: str) -> str:
    return reverse(name)  # the same on every request: reversed once per process


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    nav = []
    for label, name in _items(user):
        url = _url(name)
        active = path == url if url == "/" else path.startswith(url)
        nav.append({"label": label, "url": url, "active": active})
    return {"nav_items": nav, "now": timezone.now()}
