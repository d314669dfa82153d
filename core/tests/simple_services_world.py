"""The people the simpler services' browser tests sign in as, named as the demo logins are (social.worker,
officer.east, cap.member), and the funded referral each starts from, in the East team's queue."""

from decimal import Decimal

from accounts.roles import Role
from accounts.services import create_staff_user
from brokerage.models import Area
from people.tests.factories import make_person, make_plan
from referrals.tests.factories import approve, awaiting_funding_referral

from .test_browser_journey import PASSWORD


def demo_logins() -> dict:
    return {
        username: create_staff_user(
            username=username, password=PASSWORD, roles=roles, team=team, first_name=first, last_name=last
        )
        for username, roles, team, first, last in [
            ("social.worker", [Role.SOCIAL_WORKER], "", "Sam", "Okafor"),
            ("officer.east", [Role.BROKERAGE_OFFICER], "east", "Eddie", "Marsh"),
            ("cap.member", [Role.CAP_MEMBER], "", "Carol", "Penn"),
        ]
    }


def queued(users, code, *, weekly=Decimal("100.00"), hours=None, **person_fields):
    """A funded referral of this service type for a person the social worker holds, in the East queue."""
    sw = users["social.worker"]
    person = make_person(sw, Area.objects.get_or_create(name="Eastbrook", team_id="east")[0], **person_fields)
    plan = make_plan(sw, person, service_type=code, weekly_hours=hours, indicative_weekly_budget=weekly)
    referral = awaiting_funding_referral(sw, person, service_type=code, plan=plan)
    approve(referral, users["cap.member"], weekly)
    return referral


def take(j, referral):
    """The officer takes the referral from the team's task queue."""
    j.sign_in("officer.east")
    j.click("Task queue")
    j.click(referral.reference)
    j.click("Take this task", role="button")


def fill_date(scope, group: str, day) -> None:
    for box, typed in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        scope.get_by_role("group", name=group).get_by_label(box).fill(str(typed))


def open_form(j, title: str):
    """A step's form, folded away on the page until opened."""
    form = j.page.locator("details", has_text=title)
    form.locator("summary").click()
    j.check()
    return form


def submit(j, scope, button: str) -> None:
    scope.get_by_role("button", name=button).click()
    j.page.wait_for_load_state()
    j.check()
