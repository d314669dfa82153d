"""A service type sourced in its own app (catalogue.sourcing) puts its requirement out through dps without moving
the referral; a service type no app sources cannot."""

import pytest
from django.urls import reverse

from catalogue import sourcing
from dps import services
from dps.tests.factories import allocated, requirement_fields
from placements.tests import factories as placement_factories
from referrals.models import Referral
from referrals.tests.assertions import assert_refused

pytestmark = pytest.mark.django_db


def test_a_service_type_no_app_sources_cannot_take_the_routed_path(person, cap_member, officer_east, monkeypatch):
    case = allocated(person, cap_member, officer_east)
    monkeypatch.delitem(sourcing._routes, "home_care")
    assert_refused(
        case.referral,
        lambda: services.publish_routed_requirement(
            case.referral, acting_user=officer_east, **requirement_fields(case.arrangement)
        ),
        "No workflow sources this service type.",
    )


def test_a_routed_requirement_leaves_the_referral_allocated_and_homes_see_the_location(
    client, person, head_of_service, officer_east
):
    case = placement_factories.published(person, head_of_service, officer_east)
    requirement = case.placement.requirement
    assert Referral.objects.get(pk=requirement.referral_id).state == Referral.State.ALLOCATED
    client.force_login(case.bidders[0])
    page = client.get(reverse("portal:requirement", args=[requirement.pk])).content.decode()
    assert "Where the person asked to live" in page and placement_factories.LOCATION in page
