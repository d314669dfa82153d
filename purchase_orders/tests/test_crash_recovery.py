"""What a run of the PDF task killed part-way leaves, and the run after it: the e-mails that follow the PDF
are sent once, recorded in the same transaction, and sent by a re-run after a crash between the PDF and them;
a PDF file written by a run that never committed is replaced, not kept beside the new one."""

import pytest
from django.core import mail

from dps.tests.factories import active, provider_staff
from purchase_orders import services
from purchase_orders.models import PurchaseOrder
from purchase_orders.services import announce_purchase_order, store_pdf
from purchase_orders.tasks import render_purchase_order


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def order(person, cap_member, officer_east):
    """An issued order whose task has not run, with two users at the provider."""
    case = active(person, cap_member, officer_east)
    provider_staff(case.order.provider)
    mail.outbox.clear()
    return case.order


def _order_emails(order) -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if m.subject == f"Purchase order {order.number} issued")


def test_announce_sends_once_when_run_again(order):
    store_pdf(order.pk, b"%PDF-stored")

    assert announce_purchase_order(order.pk) is True
    sent = _order_emails(order)
    announced_at = PurchaseOrder.objects.get(pk=order.pk).announced_at
    assert len(sent) == 3 and announced_at is not None

    assert announce_purchase_order(order.pk) is False
    assert _order_emails(order) == sent
    assert PurchaseOrder.objects.get(pk=order.pk).announced_at == announced_at


def test_nothing_is_announced_before_the_pdf_exists(order):
    assert announce_purchase_order(order.pk) is False
    assert mail.outbox == [] and PurchaseOrder.objects.get(pk=order.pk).announced_at is None


def test_a_rerun_after_a_crash_between_the_pdf_and_the_emails_sends_them_once(order):
    store_pdf(order.pk, b"%PDF-first")  # the run that died stored the PDF and sent nothing

    assert render_purchase_order(order.pk) is True
    assert len(_order_emails(order)) == 3
    assert render_purchase_order(order.pk) is False
    assert len(_order_emails(order)) == 3
    order.refresh_from_db()
    assert order.pdf.read() == b"%PDF-first" and order.announced_at is not None


def test_a_failed_send_records_nothing_so_the_next_run_sends(order, monkeypatch):
    store_pdf(order.pk, b"%PDF-stored")

    def refuse(messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_mass_mail", refuse)
    with pytest.raises(ConnectionRefusedError):
        render_purchase_order(order.pk)
    assert PurchaseOrder.objects.get(pk=order.pk).announced_at is None

    monkeypatch.undo()
    assert render_purchase_order(order.pk) is True
    assert len(_order_emails(order)) == 3


def test_a_pdf_left_behind_by_a_run_killed_before_it_committed_is_replaced(order, tmp_path):
    orphan = tmp_path / "purchase_orders" / f"{order.number}-r1.pdf"
    orphan.parent.mkdir()
    orphan.write_bytes(b"%PDF-from-a-run-that-never-committed")

    assert store_pdf(order.pk, b"%PDF-kept") is True

    order.refresh_from_db()
    assert order.pdf.name == f"purchase_orders/{order.number}-r1.pdf"
    assert [p.name for p in orphan.parent.iterdir()] == [orphan.name]
    assert orphan.read_bytes() == b"%PDF-kept"
