"""Effective-dated versions: a package's versions never overlap, and neither do the agreements it is delivered
under (the database refuses both), so one query says what was in force on any day, at the edges too."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from dps.tests.factories import active
from packages.models import PackageAgreement, PackageVersion
from packages.selectors import in_force_on, versions_in_force_on
from packages.services import change_terms, end_package
from people.tests.factories import make_person


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(person, cap_member, officer_east):
    """An active package: its first version open-ended from the agreement's start date."""
    return active(person, cap_member, officer_east)


def _version(case, valid_from, valid_to=None, **fields) -> PackageVersion:
    return PackageVersion.objects.create(
        package=case.package,
        agreement=case.agreement,
        valid_from=valid_from,
        valid_to=valid_to,
        weekly_cost=Decimal("100.00"),
        reason="Test",
        created_by=case.officer,
        **fields,
    )


def _refused_by_the_database(constraint: str, make) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make()


# The database refuses overlaps ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("starts", "ends"),
    [(3, None), (-5, 1), (-5, None), (0, 1), (10, 20)],
    ids=["later, open-ended", "ending on its first day", "earlier, open-ended", "same first day", "inside it"],
)
def test_overlapping_versions_of_one_package_are_refused_by_the_database(case, starts, ends):
    start = case.version.valid_from
    _refused_by_the_database(
        "package_versions_never_overlap",
        lambda: _version(case, start + timedelta(days=starts), ends and start + timedelta(days=ends)),
    )


def test_a_version_may_end_the_day_the_next_begins(case):
    start = case.version.valid_from
    _version(case, start - timedelta(days=5), start)  # [start - 5, start): its last day is the day before
    assert PackageVersion.objects.filter(package=case.package).count() == 2


def test_a_version_replaced_on_the_day_it_began_overlaps_nothing(case):
    start = case.version.valid_from
    _version(case, start, start)
    assert in_force_on(case.package, start) == case.version


def test_versions_of_different_packages_may_overlap(case, social_worker, east_area, cap_member, officer_east):
    other = active(make_person(social_worker, east_area), cap_member, officer_east)
    assert other.version.valid_from == case.version.valid_from and other.version.valid_to is None


def test_a_version_ends_on_or_after_it_starts(case):
    start = case.version.valid_from
    _refused_by_the_database(
        "package_version_ends_after_it_starts",
        lambda: _version(case, start - timedelta(days=5), start - timedelta(days=6)),
    )


def test_overlapping_agreements_of_one_package_are_refused_by_the_database(
    case, social_worker, east_area, cap_member, officer_east
):
    """One live agreement at a time, whoever writes the row."""
    other = active(make_person(social_worker, east_area), cap_member, officer_east).agreement
    PackageAgreement.objects.filter(agreement=other).delete()
    _refused_by_the_database(
        "package_agreements_never_overlap",
        lambda: PackageAgreement.objects.create(
            package=case.package, agreement=other, valid_from=case.agreement.start_date + timedelta(days=30)
        ),
    )


def test_one_purchase_order_is_issued_for_one_version_only(case):
    start = case.version.valid_from
    _refused_by_the_database(
        "purchase_order_id",
        lambda: _version(case, start - timedelta(days=9), start - timedelta(days=2), purchase_order=case.order),
    )


# What was in force on a day: one query, at the edges -----------------------------------------------------------
@pytest.fixture
def changed(case):
    """Terms from the start, then new terms 14 days in, then the package ends 30 days in."""
    start = case.version.valid_from
    second = change_terms(
        case.package,
        acting_user=case.officer,
        valid_from=start + timedelta(days=14),
        hourly_rate=Decimal("23.00"),
        reason="Rate review",
    )
    end_package(case.package, acting_user=case.officer, last_day=start + timedelta(days=29), reason="Moved away")
    return start, case.version, second


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (-1, None),  # the day before it began
        (0, "first"),  # its first day
        (13, "first"),  # the first version's last day
        (14, "second"),  # the second's first day
        (29, "second"),  # the package's last day
        (30, None),  # the day after it ended
    ],
)
def test_in_force_on_at_the_edges(changed, django_assert_num_queries, day, expected):
    start, first, second = changed
    with django_assert_num_queries(1):
        found = in_force_on(first.package, start + timedelta(days=day))
        provider = found and found.agreement.provider.name  # read with it
    assert found == {"first": first, "second": second, None: None}[expected]
    assert provider == (found and first.agreement.provider.name)


def test_an_open_ended_version_is_in_force_for_ever(case, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert in_force_on(case.package, case.version.valid_from + timedelta(days=365 * 20)) == case.version


def test_versions_in_force_on_a_day_for_every_package(case, social_worker, east_area, cap_member, officer_east):
    later = active(
        make_person(social_worker, east_area), cap_member, officer_east, start_date=case.agreement.start_date
    )
    ended = active(make_person(social_worker, east_area), cap_member, officer_east)
    start = case.version.valid_from
    end_package(ended.package, acting_user=officer_east, last_day=start + timedelta(days=1), reason="Moved")
    change_terms(
        later.package,
        acting_user=officer_east,
        valid_from=start + timedelta(days=3),
        hourly_rate=Decimal("21.00"),
        reason="Rate",
    )

    assert set(versions_in_force_on(start)) == {case.version, later.version, ended.version}
    on_fifth = list(versions_in_force_on(start + timedelta(days=5)))
    assert len(on_fifth) == 2 and case.version in on_fifth and later.version not in on_fifth
    assert not versions_in_force_on(start - timedelta(days=1)).exists()
