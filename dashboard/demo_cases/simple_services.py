"""The simpler services in the demo, each at an interesting step, made by the services the pages call (East team,
social.worker's people, officer.east's work):

- Nora Ashdown: a direct payment whose agreement has gone to her daughter, waiting for the signature;
- Owen Brightwell: a place at the council's own day centre (Riverside Council Day Centre, Brook Road), active;
- Pearl Cotton: transport, active; Quentin Dale: meals on wheels, out for bids (one bid in);
- Rosa Ellery: carers relief, agreement made, purchase order to issue; Stan Fairley: an escort service, just taken;
- Tess Gilroy: outreach, active.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from catalogue.codes import ServiceCode
from commissioning import services as commissioning
from commissioning.models import Commission
from direct_payments import services as direct_payments
from direct_payments.models import DirectPayment
from dps import services as dps_services
from dps.models import DPSRequirement, PurchasingArrangement
from referrals import services as referral_services
from referrals.models import Referral

# Where each case built through a requirement stops.
BIDDING, AWARDED, ACTIVE = "bidding", "awarded", "active"


def seed(*, users, person, plan, providers):
    sw, officer, cap = users["social.worker"], users["officer.east"], users["cap.member"]

    def taken(p, code, hours, weekly, details):
        referral = referral_services.create_referral(
            acting_user=sw,
            person=p,
            kind=Referral.Kind.SUPPORT_PLAN,
            service_type=code,
            details=details,
            plan=plan(sw, p, code, hours, weekly),
        )
        referral_services.record_funding_decision(
            referral, acting_user=cap, decision="approved", approved_weekly_amount=weekly
        )
        return referral_services.take_referral(referral, acting_user=officer)

    # A direct payment: the agreement sent to the person's daughter, waiting for her signature.
    nora = person(sw, "Nora", "Ashdown", date(1958, 3, 9), "Eastbrook", "E1 3RT", "")
    referral = taken(
        nora,
        ServiceCode.DIRECT_PAYMENT,
        None,
        Decimal("60.00"),
        "Wants to employ her own personal assistant and keep up her swimming.",
    )
    direct_payments.send_agreement(
        DirectPayment.objects.get(referral=referral),
        acting_user=officer,
        recipient=DirectPayment.Recipient.REPRESENTATIVE,
        purpose="A personal assistant two afternoons a week, and membership of Riverside Leisure Centre.",
        amount=Decimal("240.00"),
        period=DirectPayment.Period.FOUR_WEEKLY,
        first_payment_on=date.today() + timedelta(days=14),
    )

    # A place at the council's own day centre: no requirement, no bid; active.
    owen = person(sw, "Owen", "Brightwell", date(1962, 11, 2), "Eastbrook", "E2 8HP", "")
    referral = taken(
        owen, ServiceCode.DAY_OPPORTUNITIES, None, Decimal("90.00"), "Three days a week at a day centre near home."
    )
    commission = Commission.objects.get(referral=referral)
    commissioning.choose_in_house(
        commission, acting_user=officer, provider=providers["Riverside Council Day Centre, Brook Road"]
    )
    commissioning.award(commission, acting_user=officer, start_date=date.today(), weekly_cost=Decimal("84.00"))
    commissioning.issue_purchase_order(commission, acting_user=officer)

    # The rest through a requirement on their arrangement, each stopping at its own step.
    for first, last, postcode, code, name, price, stop_at, details in [
        ("Pearl", "Cotton", "E1 5GB", ServiceCode.TRANSPORT, "Riverside Community Transport", "45.00", ACTIVE,
         "Needs a wheelchair-accessible lift to the day centre and back, three days a week."),
        ("Quentin", "Dale", "E3 2NW", ServiceCode.MEALS, "Hot Meals Riverside", "38.50", BIDDING,
         "A hot lunch every weekday; diabetic diet."),
        ("Rosa", "Ellery", "E14 7QA", ServiceCode.CARERS_RELIEF, "Carers Relief Riverside", "96.00", AWARDED,
         "Four hours on Thursday afternoons so her husband can go out."),
        ("Tess", "Gilroy", "E2 6LD", ServiceCode.OUTREACH, "Reach Out Community Support", "110.00", ACTIVE,
         "Support to get out into the community and build confidence after a long illness."),
    ]:  # fmt: skip
        p = person(sw, first, last, date(1950, 6, 1), "Eastbrook", postcode, "")
        referral = taken(p, code, Decimal("4.00"), Decimal("120.00"), details)
        _through_a_requirement(referral, officer, providers[name], Decimal(price), stop_at)

    # An escort service just taken from the queue: the officer has yet to find a provider.
    stan = person(sw, "Stan", "Fairley", date(1947, 2, 20), "Eastbrook", "E1 1AA", "")
    taken(stan, ServiceCode.ESCORT, Decimal("2.00"), Decimal("50.00"), "An escort to hospital appointments.")


def _through_a_requirement(referral, officer, provider, price, stop_at):
    """Published on the service's arrangement, one weekly bid from the provider's demo login; then, unless it stops
    while bidding, the closing time made to have passed (demo only), the bid scored and chosen, the agreement made
    and, if it goes that far, the purchase order issued."""

    def commission():
        return Commission.objects.get(referral=referral)

    requirement = commissioning.publish_requirement(
        commission(),
        acting_user=officer,
        arrangement=PurchasingArrangement.objects.get(service_type=referral.service_type_id),
        start_date=date.today() + timedelta(days=10),
        closes_at=timezone.now() + timedelta(days=2),
        quality_weight=60,
        outcomes=["Reliable, at the same times each week", "Staff who get to know the person"],
        summary=referral.details,
    )
    bid = dps_services.submit_bid(
        requirement,
        acting_user=User.objects.filter(provider=provider).order_by("pk").first(),
        price_basis="weekly",
        price=price,
        answers={o.pk: "Yes: a small regular team, named in advance." for o in requirement.outcomes.all()},
    )
    if stop_at == BIDDING:
        return
    DPSRequirement.objects.filter(pk=requirement.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    commissioning.close_bidding(commission(), acting_user=officer)
    dps_services.score_answers(requirement, acting_user=officer, scores={answer.pk: 4 for answer in bid.answers.all()})
    commissioning.select_bid(commission(), acting_user=officer, bid=bid, reason="The one bid: good answers, in budget")
    commissioning.award(commission(), acting_user=officer, start_date=date.today() + timedelta(days=10))
    if stop_at == ACTIVE:
        commissioning.issue_purchase_order(commission(), acting_user=officer)
