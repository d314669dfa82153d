"""A service type sourced in its own app (catalogue.sourcing) puts its requirement out through dps without moving
the referral; home care keeps its own path, and cannot use this one."""

import pytest
from django.urls import reverse

from dps import services
from dps.tests.factories import allocated, requirement_fields
from placements.tests import factories as placement_factories
from referrals.models import Referral
from referrals.tests.assertions import assert_refused

pytestmark = pytest.mark.django_db


def test_home_care_cannot_take_the_routed_path(person, cap_member, officer_east):
    case = allocated(person, cap_member, officer_east)
    assert_refused(
        case.referral,
        lambda: services.publish_routed_requirement(
            case.referral, acting_user=officer_east, **requirement_fields(case.arrangement)
        ),
        "This service type is sourced on the referral's own steps",
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
