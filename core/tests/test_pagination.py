"""Keyset pages: every row once, forwards and back, from any cursor of ours; anything else is page one."""

import pytest

from core.pagination import cursor_for, keyset_page
from people.models import Person
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

ORDER = ["last_name", "first_name", "id"]


@pytest.fixture
def people(social_worker, east_area):
    # Same names on purpose: the id decides between them, so no row is skipped or shown twice.
    return [make_person(social_worker, east_area, first_name=f"P{i % 3}", last_name=f"S{i % 4}") for i in range(11)]


def walk(queryset, ordering, size):
    pages, cursor = [], ""
    while True:
        page = keyset_page(queryset, ordering=ordering, size=size, after=cursor)
        pages.append([p.pk for p in page])
        if not page.next_cursor:
            return pages
        cursor = page.next_cursor


def test_pages_forward_give_every_row_once_in_order(people):
    expected = list(Person.objects.order_by(*ORDER).values_list("pk", flat=True))
    pages = walk(Person.objects.all(), ORDER, 4)
    assert [len(p) for p in pages] == [4, 4, 3]
    assert [pk for page in pages for pk in page] == expected


def test_descending_order_and_previous_pages_come_back_the_same(people):
    order = ["-last_name", "-first_name", "-id"]
    first = keyset_page(Person.objects.all(), ordering=order, size=4)
    second = keyset_page(Person.objects.all(), ordering=order, size=4, after=first.next_cursor)
    back = keyset_page(Person.objects.all(), ordering=order, size=4, before=second.previous_cursor)
    assert [p.pk for p in back] == [p.pk for p in first]
    assert back.previous_cursor == "" and back.next_cursor
    assert first.previous_cursor == "" and second.previous_cursor


def test_a_list_can_start_after_any_row(people):
    ordered = list(Person.objects.order_by(*ORDER))
    page = keyset_page(Person.objects.all(), ordering=ORDER, size=3, after=cursor_for(ordered[5], ORDER))
    assert [p.pk for p in page] == [p.pk for p in ordered[6:9]]


@pytest.mark.parametrize("cursor", ["", "not-base64!!", "W10", "WyJ4Il0", "eyJhIjogMX0", "WzEsIDIsICJ4Il0"])
def test_a_cursor_that_is_not_ours_gives_the_first_page(people, cursor):
    first = keyset_page(Person.objects.all(), ordering=ORDER, size=4)
    assert [p.pk for p in keyset_page(Person.objects.all(), ordering=ORDER, size=4, after=cursor)] == [
        p.pk for p in first
    ]
    assert [p.pk for p in keyset_page(Person.objects.all(), ordering=ORDER, size=4, before=cursor)] == [
        p.pk for p in first
    ]


def test_the_links_keep_the_other_parameters(people):
    page = keyset_page(Person.objects.all(), ordering=ORDER, size=4)
    links = page.navigation({"q": "Ada", "page": "3", "after": "old"})
    assert links["previous"] == "" and links["next"].startswith("?q=Ada&after=")


def test_an_ordering_must_run_one_way(people):
    with pytest.raises(ValueError, match="one way"):
        keyset_page(Person.objects.all(), ordering=["last_name", "-id"], size=4)


def test_an_empty_list_has_no_pages(db):
    page = keyset_page(Person.objects.all(), ordering=ORDER, size=4)
    assert (list(page), page.next_cursor, page.previous_cursor) == ([], "", "")
