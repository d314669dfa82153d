"""A person's page lists the services they receive (brokerage.sections, through people.sections): each current
service agreement with its purchase order in force, the ended ones folded away under "Past services"."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from brokerage import sections
from brokerage.models import ServiceAgreement
from brokerage.selectors import PAST_SERVICES_SHOWN, agreements_for_person
from catalogue.codes import ServiceCode
from core.templatetags.money import money
from dps.tests.factories import active, awarded
from packages.selectors import package_for_agreement
from packages.services import change_terms


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(person, cap_member, officer_east):
    """An active home care service: its agreement and purchase order issued."""
    return active(person, cap_member, officer_east)


def page(client, user, person) -> str:
    client.force_login(user)
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def services_section(html: str) -> str:
    start = html.index('id="services"')
    return html[start : html.index("Referrals to Brokerage", start)]


def past_services(html: str) -> str:
    section = services_section(html)
    return section[section.index("Past services") :] if "govuk-details" in section else ""


def test_the_social_worker_sees_the_current_service_with_its_purchase_order(client, social_worker, person, case):
    ServiceAgreement.objects.filter(pk=case.agreement.pk).update(weekly_cost=Decimal("1234.56"))
    agreement, order = case.agreement, case.order

    section = services_section(page(client, social_worker, person))

    assert "Current services" in section and "Past services" not in section
    assert f'href="{reverse("referrals:detail", args=[case.referral.pk])}">{agreement.reference}' in section
    assert agreement.provider.name in section
    assert "Domiciliary care (home care)" in section
    assert f"{agreement.start_date.day} {agreement.start_date:%b %Y}" in section
    assert ">10<" in section  # hours a week, as a person writes them
    assert "£1,234.56" in section
    assert f'href="{reverse("purchase_orders:pdf", args=[order.pk])}">{order.number}' in section
    issued = timezone.localtime(order.issued_at)
    assert re.search(rf"Issued</strong>\s+{issued.day} {issued:%b %Y}", section)  # its status, as a tag, and when


def test_a_revised_order_replaces_the_one_it_superseded(client, social_worker, officer_east, person, case):
    revised = change_terms(
        package_for_agreement(case.agreement),
        acting_user=officer_east,
        valid_from=case.agreement.start_date,
        hourly_rate=Decimal("21.00"),
        reason="Rate agreed on review",
    ).purchase_order

    section = services_section(page(client, social_worker, person))

    assert revised.display_number in section
    assert reverse("purchase_orders:pdf", args=[revised.pk]) in section
    assert reverse("purchase_orders:pdf", args=[case.order.pk]) not in section


def test_an_ended_agreement_is_under_past_services(client, social_worker, cap_member, officer_east, person, case):
    ended = case.agreement
    ServiceAgreement.objects.filter(pk=ended.pk).update(
        status=ServiceAgreement.Status.ENDED, end_date=timezone.localdate() - timedelta(days=1)
    )
    current = awarded(person, cap_member, officer_east).agreement  # agreed, its order not yet issued

    html = page(client, social_worker, person)
    section, past = services_section(html), past_services(html)

    assert '<details class="govuk-details">' in section and '<details class="govuk-details" open' not in section
    assert ended.reference in past and current.reference not in past
    assert current.reference in section[: section.index("Past services")]
    assert "None issued yet" in section[: section.index("Past services")]
    assert reverse("purchase_orders:pdf", args=[case.order.pk]) in past  # its last order, still to hand


def test_an_agreement_whose_end_date_has_passed_is_past(person, case):
    ServiceAgreement.objects.filter(pk=case.agreement.pk).update(end_date=timezone.localdate() - timedelta(days=1))
    found = agreements_for_person(person)
    assert (found.current, [a.pk for a in found.past]) == ([], [case.agreement.pk])
    ServiceAgreement.objects.filter(pk=case.agreement.pk).update(end_date=timezone.localdate())
    assert [a.pk for a in agreements_for_person(person).current] == [case.agreement.pk]  # its last day


def test_past_services_are_bounded(person, case):
    for n in range(PAST_SERVICES_SHOWN + 1):
        earlier = ServiceAgreement.objects.get(pk=case.agreement.pk)
        earlier.pk, earlier.status = None, ServiceAgreement.Status.ENDED
        earlier.start_date -= timedelta(days=365 * (n + 1))
        earlier.save()
    found = agreements_for_person(person)
    assert len(found.past) == PAST_SERVICES_SHOWN and found.more_past
    assert [a.start_date for a in found.past] == sorted((a.start_date for a in found.past), reverse=True)
    assert [a.pk for a in found.current] == [case.agreement.pk]


def test_a_person_without_services_says_so(client, social_worker, person):
    section = services_section(page(client, social_worker, person))
    assert "No current services." in section and "<table" not in section


@pytest.mark.parametrize("who", ["social_worker", "officer_east", "lead_east"])
def test_everyone_shown_a_purchase_order_link_may_open_it(client, request, person, case, who):
    user = request.getfixturevalue(who)
    links = re.findall(r'href="(/purchase-orders/\d+/pdf/)"', services_section(page(client, user, person)))
    assert links == [reverse("purchase_orders:pdf", args=[case.order.pk])]
    assert client.get(links[0]).status_code in (200, 202)  # the PDF, or "being made"


def test_no_link_to_an_order_the_user_may_not_open(client, monkeypatch, social_worker, person, case):
    monkeypatch.setattr(sections, "can_open_orders_of", lambda user, person: False)
    section = services_section(page(client, social_worker, person))
    assert case.order.number in section
    assert "/purchase-orders/" not in section


@pytest.mark.parametrize("who", ["officer_west", "cap_member", "provider_user", "other_social_worker"])
def test_those_who_may_not_see_the_person_see_none_of_it(client, request, person, case, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("people:detail", args=[person.pk])).status_code in (403, 404)


def test_the_section_renders_without_a_request(person, case, social_worker):
    """The template needs only its context: no inline script or style (the CSP allows neither)."""
    html = render_to_string(sections.TEMPLATE, {"section": sections.services_and_agreements(social_worker, person)})
    assert "<script" not in html and "style=" not in html
    assert ServiceCode.HOME_CARE.label in html


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(Decimal("1234.56"), "£1,234.56"), (Decimal("0.5"), "£0.50"), (Decimal("1000000"), "£1,000,000.00"), (None, "")],
)
def test_money_is_written_in_pounds_and_pence(amount, shown):
    assert money(amount) == shown
