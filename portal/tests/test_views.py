"""The portal pages doing their job: bidding and changing a bid, refusing bad input, the CSV export,
the purchase order PDF, and the home page's three lists."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.tests.pdfs import pdf_text
from dps.models import Bid, BidAnswer

from .conftest import LOSE_PRICE, OUTCOMES, SUMMARY, WIN_PRICE


def text_of(response) -> str:
    return response.content.decode("utf-8-sig")


def bid_data(requirement, price="19.50", basis="hourly", answer="Our team of four local carers will.", **overrides):
    data = {"price_basis": basis, "price": price}
    data.update({f"answer_{o.pk}": f"{answer} ({o.position})" for o in requirement.outcomes.all()})
    return data | overrides


def footprint():
    return (
        sorted(Bid.objects.values_list("pk", "provider", "price_basis", "price", "weekly_price", "updated_at")),
        sorted(BidAnswer.objects.values_list("pk", "answer")),
    )


# Bidding ------------------------------------------------------------------------------------------
def test_the_bid_form_is_labelled_for_everyone(client, open_case):
    client.force_login(open_case.c)
    response = client.get(reverse("portal:requirement", args=[open_case.requirement.pk]))
    text = text_of(response)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Domiciliary care (home care) in E1</h1>' in text
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in text
    assert "Is your price per hour or per week?" in text
    assert 'for="id_price_basis_0">Per hour</label>' in text and 'for="id_price_basis_1">Per week</label>' in text
    assert '<label class="govuk-label govuk-label--s" for="id_price">' in text
    for outcome in open_case.requirement.outcomes.all():
        assert f'for="id_answer_{outcome.pk}"' in text and f'id="id_answer_{outcome.pk}"' in text
        assert outcome.text in text
    assert "Make a bid" in text and "Submit your bid" in text
    assert SUMMARY in text and "quality counts 60% and price 40%" in text


def test_submitting_a_bid(client, open_case):
    case = open_case
    client.force_login(case.c)
    url = reverse("portal:requirement", args=[case.requirement.pk])

    response = client.post(url, bid_data(case.requirement, price="£19.50"))

    assert response.status_code == 302 and response["Location"] == url
    bid = Bid.objects.get(requirement=case.requirement, provider=case.c.provider)
    assert (bid.price_basis, bid.price, bid.weekly_price, bid.submitted_by) == (
        "hourly",
        Decimal("19.50"),
        Decimal("195.00"),
        case.c,
    )
    assert sorted(bid.answers.values_list("answer", flat=True)) == [
        "Our team of four local carers will. (1)",
        "Our team of four local carers will. (2)",
    ]
    page = text_of(client.get(url))
    assert f"Your bid on {case.requirement.reference} has been submitted." in page
    assert "£19.50 per hour" in page and "£195.00" in page and "Change your bid" in page


def test_changing_a_bid(client, open_case):
    case = open_case
    client.force_login(case.a)
    url = reverse("portal:requirement", args=[case.requirement.pk])
    form = text_of(client.get(url))
    assert f'value="{WIN_PRICE}"' in form  # prefilled with the bid as it stands
    assert 'value="hourly" class="govuk-radios__input" id="id_price_basis_0" required checked' in form
    assert "Alys Care will do this (outcome 1)</textarea>" in form
    before = Bid.objects.count()

    response = client.post(url, bid_data(case.requirement, price="230", basis="weekly", answer="Changed"))

    assert response.status_code == 302
    bid = Bid.objects.get(requirement=case.requirement, provider=case.a.provider)
    assert Bid.objects.count() == before
    assert (bid.price_basis, bid.price, bid.weekly_price) == ("weekly", Decimal("230.00"), Decimal("230.00"))
    assert sorted(bid.answers.values_list("answer", flat=True)) == ["Changed (1)", "Changed (2)"]
    assert "has been changed" in text_of(client.get(url))
    # The other bid is untouched.
    assert Bid.objects.get(provider=case.b.provider).price == LOSE_PRICE


@pytest.mark.parametrize(
    "change, message",
    [
        ({"answer_2nd": ""}, "Answer outcome statement 2"),
        ({"answer_2nd": "   "}, "Answer outcome statement 2"),
        ({"price": "0"}, "Enter a price above £0"),
        ({"price": "-5"}, "Enter a price above £0"),
        ({"price": "twenty pounds"}, "Enter your price as an amount of money, like 21.50"),
        ({"price": "19.505"}, "Enter your price in pounds and pence, like 21.50"),
        ({"price": ""}, "Enter your price"),
        ({"price_basis": ""}, "Select whether your price is per hour or per week"),
        ({"price_basis": "daily"}, "Select whether your price is per hour or per week"),
    ],
)
@pytest.mark.parametrize("who", ["a", "c"])
def test_invalid_bids_are_shown_again_with_the_problem_and_save_nothing(client, open_case, change, message, who):
    case = open_case
    user = getattr(case, who)  # a changing its bid, c making a first one
    client.force_login(user)
    second = case.requirement.outcomes.get(position=2)
    change = {(f"answer_{second.pk}" if k == "answer_2nd" else k): v for k, v in change.items()}
    before = footprint()

    response = client.post(
        reverse("portal:requirement", args=[case.requirement.pk]), bid_data(case.requirement) | change
    )

    assert response.status_code == 400
    text = text_of(response)
    assert "<title>Error: " in text and "There is a problem" in text
    assert message in text
    assert text.count(message) == 2  # in the summary, and by the field
    assert footprint() == before


def test_a_package_not_counted_in_hours_takes_only_a_weekly_price(client, build):
    case = build.publish(bid=False)
    case.requirement.weekly_hours = None
    case.requirement.save(update_fields=["weekly_hours"])
    client.force_login(case.c)
    url = reverse("portal:requirement", args=[case.requirement.pk])
    page = text_of(client.get(url))
    assert 'value="hourly"' not in page and "This package is not counted in hours" in page

    response = client.post(url, bid_data(case.requirement, basis="hourly"))

    assert response.status_code == 400
    assert "Select whether your price is per hour or per week" in text_of(response)
    assert not Bid.objects.exists()
    assert client.post(url, bid_data(case.requirement, basis="weekly", price="240")).status_code == 302
    assert Bid.objects.get().weekly_price == Decimal("240.00")


def test_a_refusal_by_the_service_is_shown_in_the_error_summary_and_changes_nothing(client, open_case):
    """The organisation stopped covering the district: it can still read its bid, but not change it."""
    case = open_case
    case.a.provider.services.update(districts=["W2"])
    client.force_login(case.a)
    before = footprint()

    response = client.post(reverse("portal:requirement", args=[case.requirement.pk]), bid_data(case.requirement))

    assert response.status_code == 400
    text = text_of(response)
    assert "There is a problem" in text and "This requirement is not open to your organisation." in text
    assert footprint() == before


# The export -----------------------------------------------------------------------------------------
def test_csv_export(client, open_case):
    case = open_case
    client.force_login(case.c)
    response = client.get(reverse("portal:requirement_export", args=[case.requirement.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{case.requirement.reference}.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(text_of(response))))
    fields = dict(r for r in rows if len(r) == 2 and not r[0].isdigit())
    start = case.requirement.start_date
    assert fields["Reference"] == case.requirement.reference
    assert fields["Service"] == "Domiciliary care (home care)"
    assert fields["Postcode district"] == "E1"
    assert fields["Start date"] == f"{start.day} {start:%B %Y}"
    assert fields["Hours a week"] == "10.00"
    assert fields["Visits"] == "Monday 08:00, 45 minutes, 2 carers\nThursday 18:30, 30 minutes, 1 carer"
    assert fields["Skills needed"] == "Dementia"
    assert fields["Language the carers should speak"] == "Welsh"
    assert fields["About the package"] == SUMMARY
    assert fields["Weight of quality (%)"] == "60" and fields["Weight of price (%)"] == "40"
    assert [r for r in rows if r and r[0] == "How bids are scored"][1][1].startswith("Price score = the lowest")
    assert rows[rows.index(["Outcome statement", "Text"]) + 1 :] == [["1", OUTCOMES[0]], ["2", OUTCOMES[1]]]
    # Bids are never in it, not even the provider's own.
    assert "21.37" not in text_of(response) and "248.88" not in text_of(response)


def test_csv_export_does_not_let_text_become_a_formula(client, open_case):
    case = open_case
    outcome = case.requirement.outcomes.get(position=1)
    outcome.text = '=HYPERLINK("http://example.com")'
    outcome.save()
    client.force_login(case.a)
    rows = list(
        csv.reader(io.StringIO(text_of(client.get(reverse("portal:requirement_export", args=[case.requirement.pk])))))
    )
    assert ["1", '\'=HYPERLINK("http://example.com")'] in rows


# The purchase order -------------------------------------------------------------------------------
def test_purchase_order_pdf_download(client, active_case):
    case = active_case
    order, agreement = case.order, case.agreement
    client.force_login(case.a)

    response = client.get(reverse("portal:purchase_order_pdf", args=[order.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{order.number}-r1.pdf"'
    assert re.fullmatch(r"PO-\d{4}-\d{6}", order.number)
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    start = agreement.start_date
    for expected in [
        order.number,
        case.a.provider.name,
        "Ottoline Quennell-Marwood",
        "Domiciliary care (home care)",
        "£213.70",
        f"From {start.day} {start:%B %Y}",
    ]:
        assert expected in text, expected


def test_purchase_order_still_being_made(client, build, awarded_case):
    """The PDF is made after commit by a task: until then the page says so."""
    from commissioning.services import issue_purchase_order

    order = issue_purchase_order(
        awarded_case.referral.commission, acting_user=awarded_case.officer
    ).purchase_order  # task not run
    client.force_login(awarded_case.a)

    response = client.get(reverse("portal:purchase_order_pdf", args=[order.pk]))

    assert response.status_code == 202
    assert f"Purchase order {order.display_number} is being prepared" in text_of(response)
    agreement_page = text_of(client.get(reverse("portal:agreement", args=[awarded_case.agreement.pk])))
    assert order.display_number in agreement_page


# Home -----------------------------------------------------------------------------------------------
def test_home_lists_open_requirements_bids_and_packages(client, build, active_case):
    awarded = active_case
    fresh = build.publish(bid=False)  # on the same arrangement, which a's organisation has joined
    client.force_login(awarded.a)

    response = client.get(reverse("portal:home"))

    text = text_of(response)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Provider portal</h1>' in text
    open_section, bids_section, packages_section = (
        text.split('id="open-requirements"')[1].split('id="bids"')[0],
        text.split('id="bids"')[1].split('id="packages"')[0],
        text.split('id="packages"')[1],
    )
    assert fresh.requirement.reference in open_section and "No bid yet" in open_section
    assert awarded.requirement.reference not in open_section
    assert awarded.requirement.reference in bids_section and "Awarded to you" in bids_section
    assert reverse("portal:agreement", args=[awarded.agreement.pk]) in bids_section
    assert awarded.agreement.reference in packages_section and "£213.70" in packages_section
    assert "<caption" in open_section and "<caption" in bids_section and "<caption" in packages_section
    # The person is read on the agreement's own page, where the view is audited.
    assert "Quennell" not in text


def test_the_winners_requirement_page_leads_to_the_package(client, active_case):
    url = reverse("portal:requirement", args=[active_case.requirement.pk])
    client.force_login(active_case.a)
    page = text_of(client.get(url))
    assert "Awarded to you" in page
    assert reverse("portal:agreement", args=[active_case.agreement.pk]) in page
    client.force_login(active_case.b)
    page = text_of(client.get(url))
    assert "Not successful" in page and "/portal/agreements/" not in page


def test_home_marks_requirements_already_bid_on(client, open_case):
    client.force_login(open_case.a)
    text = text_of(client.get(reverse("portal:home")))
    open_section = text.split('id="open-requirements"')[1].split('id="bids"')[0]
    assert "Bid made" in open_section and "No bid yet" not in open_section
    assert "Open: you can change your bid" in text


def test_home_query_count_does_not_grow_with_bids(client, build, open_case, django_assert_max_num_queries):
    client.force_login(open_case.a)
    client.get(reverse("portal:home"))  # session and role lookups warmed
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("portal:home"))
    for _ in range(3):
        case = build.publish()
        Bid.objects.filter(provider=case.a.provider).update(provider=open_case.a.provider)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("portal:home"))
