"""The purchase order task: made after commit, idempotent, and its PDF may read only our static files."""

from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction

from commissioning.services import issue_purchase_order
from dps.tests.factories import active, awarded, provider_staff
from purchase_orders.models import PurchaseOrder
from purchase_orders.pdf import STATIC_ROOTS, static_only_fetcher
from purchase_orders.services import store_pdf
from purchase_orders.tasks import render_purchase_order


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _pdfs(media) -> list[Path]:
    return sorted((media / "purchase_orders").glob("*.pdf")) if (media / "purchase_orders").exists() else []


@pytest.fixture
def order(person, cap_member, officer_east):
    """An issued order whose task has not run: on_commit never fires inside a test's transaction."""
    case = active(person, cap_member, officer_east)
    provider_staff(case.order.provider)  # a second user at the provider
    return case.order


def test_render_twice_makes_one_pdf_and_one_round_of_emails(order, media):
    assert not order.pdf and not mail.outbox

    assert render_purchase_order(order.pk) is True
    order.refresh_from_db()
    rendered_at, name, sent = order.pdf_rendered_at, order.pdf.name, [m.to for m in mail.outbox]

    assert render_purchase_order(order.pk) is False

    order.refresh_from_db()
    assert PurchaseOrder.objects.count() == 1
    assert name == f"purchase_orders/{order.number}-r1.pdf"
    assert (order.pdf.name, order.pdf_rendered_at) == (name, rendered_at) and rendered_at is not None
    assert _pdfs(media) == [media / name]
    assert (media / name).read_bytes().startswith(b"%PDF-")
    assert len(sent) == 3  # two users at the provider and the social worker, once each
    assert [m.to for m in mail.outbox] == sent
    assert all(m.subject == f"Purchase order {order.number} issued" for m in mail.outbox)


def test_emails_go_to_the_providers_users_and_the_social_worker(order):
    from accounts.models import User

    render_purchase_order(order.pk)
    expected = {
        *User.objects.filter(provider=order.provider).values_list("email", flat=True),
        order.agreement.person.allocated_worker.email,
    }
    assert len(expected) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)


def test_a_second_store_keeps_the_first_pdf(order, media):
    assert store_pdf(order.pk, b"%PDF-first") is True
    assert store_pdf(order.pk, b"%PDF-second") is False
    order.refresh_from_db()
    assert order.pdf.read() == b"%PDF-first"
    assert len(_pdfs(media)) == 1


def test_pdf_is_made_once_the_issue_commits(
    person, cap_member, officer_east, media, django_capture_on_commit_callbacks
):
    case = awarded(person, cap_member, officer_east)
    with django_capture_on_commit_callbacks(execute=True):
        order = issue_purchase_order(case.commission, acting_user=officer_east).purchase_order
    order.refresh_from_db()
    assert order.pdf and order.pdf_rendered_at
    assert len(_pdfs(media)) == 1
    assert sum("Purchase order" in m.subject for m in mail.outbox) == 2  # the provider's user, the social worker


def test_a_rolled_back_issue_makes_no_pdf_and_sends_nothing(
    person, cap_member, officer_east, media, django_capture_on_commit_callbacks
):
    case = awarded(person, cap_member, officer_east)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            issue_purchase_order(case.commission, acting_user=officer_east)
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert not PurchaseOrder.objects.exists()
    assert _pdfs(media) == [] and mail.outbox == []


# The URL fetcher ------------------------------------------------------------------------------
STATIC = STATIC_ROOTS[0]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/style.css",
        "ftp://example.com/x",
        "data:text/plain,hello",
        "file:///etc/passwd",
        f"file://{Path(__file__).resolve()}",
        f"file://{STATIC}/../config/settings/base.py",
        f"file://{STATIC}/%2e%2e/config/settings/base.py",
        f"file://{STATIC}/build/no-such-file.css",
        f"file://{STATIC}",
        "file://localhost/etc/passwd",
        "/etc/passwd",
    ],
)
def test_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(ValueError, match="Refused to fetch"):
        static_only_fetcher(url)


def test_fetcher_reads_our_static_files():
    css = STATIC / "build" / "application.css"
    response = static_only_fetcher(f"file://{css}")
    try:
        assert response.read() == css.read_bytes()
    finally:
        response.close()


def test_a_refused_resource_is_left_out_not_fatal():
    import weasyprint

    from purchase_orders.pdf import StaticOnlyFetcher

    html = '<link rel="stylesheet" href="build/application.css"><img src="http://example.com/x.png"><p>Order</p>'
    pdf = weasyprint.HTML(string=html, base_url=str(STATIC), url_fetcher=StaticOnlyFetcher()).write_pdf()
    assert pdf.startswith(b"%PDF-")
