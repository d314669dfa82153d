"""Respite's demo cases (sign in as officer.east or social.worker, password as for every demo user):

- Iris Whitfield: the panel approved £2,400 a year, officer.east loaded it, social.worker sent the letter, and one
  week at Harbour House Short Breaks is booked with its purchase order; £1,650 is left to book.
- Jack Morley: the allowance (£1,800 a year) is loaded and the letter made: social.worker is to send it.
"""

from datetime import date, timedelta
from decimal import Decimal

from catalogue.codes import ServiceCode
from referrals import services as referral_services
from referrals.models import Referral
from respite import services as respite_services
from respite.models import RespiteAllowance


def _loaded(users, person, plan, *, first, last, dob, postcode, amount) -> RespiteAllowance:
    sw, officer, cap = users["social.worker"], users["officer.east"], users["cap.member"]
    p = person(sw, first, last, dob, "Eastbrook", postcode, "")
    referral = referral_services.create_referral(
        acting_user=sw,
        person=p,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=ServiceCode.RESPITE,
        details="Cared for at home by family, who need regular breaks: asks for an annual respite budget.",
        plan=plan(sw, p, ServiceCode.RESPITE, None, None),
    )
    referral_services.record_funding_decision(
        referral, acting_user=cap, decision="approved", approved_annual_amount=amount
    )
    referral_services.take_referral(referral, acting_user=officer)
    allowance = RespiteAllowance.objects.get(referral=referral)
    respite_services.load_allowance(allowance, acting_user=officer, year_start=date.today())
    respite_services.render_letter(allowance.pk)
    return RespiteAllowance.objects.get(pk=allowance.pk)


def seed(*, users, person, plan, providers):
    iris = _loaded(
        users,
        person,
        plan,
        first="Iris",
        last="Whitfield",
        dob=date(1948, 2, 11),
        postcode="E2 7QB",
        amount=Decimal("2400.00"),
    )
    respite_services.send_letter(iris, acting_user=users["social.worker"], sent_to="Iris and her daughter, by post")
    first_night = date.today() + timedelta(days=21)
    respite_services.book_respite(
        iris,
        acting_user=users["officer.east"],
        provider=providers["Harbour House Short Breaks"],
        start_date=first_night,
        end_date=first_night + timedelta(days=7),
        cost=Decimal("750.00"),
    )
    _loaded(
        users,
        person,
        plan,
        first="Jack",
        last="Morley",
        dob=date(1952, 9, 30),
        postcode="E1 4RT",
        amount=Decimal("1800.00"),
    )
