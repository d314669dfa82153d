"""What the provider and SPA are told when Brokerage applies a re-assessment or an ending: references, dates and
hours, and a link behind a login; never the person's name, address or care details."""

from accounts.models import User
from core.mail import absolute_url, plain_message, send_once
from packages.selectors import current_version, package_for_referral

from .models import ReablementCase

BEHIND_A_LOGIN = (
    "Sign in to see the details: they are not in this e-mail, because e-mail is not a secure channel.\n\n"
    "Brokerage case management"
)


def _case(case_id: int) -> ReablementCase:
    return ReablementCase.objects.select_related("worker", "referral").get(pk=case_id)


def _what_changed(case, package) -> tuple[str, str]:
    version = current_version(package)
    if case.state == ReablementCase.State.TERMINATED:
        return (
            f"Reablement package {package.reference} ends",
            f"Reablement package {package.reference} ends after {case.last_day:%-d %B %Y}, as the single point of "
            "access team asked. Its purchase order is closed on that day.",
        )
    return (
        f"Reablement package {package.reference} changes",
        f"From {version.valid_from:%-d %B %Y}, reablement package {package.reference} is {version.weekly_hours} "
        f"hours a week, after a re-assessment by the single point of access team. Purchase order "
        f"{version.purchase_order.display_number} supersedes the last.",
    )


def tell_provider(case_id: int, what: str) -> bool:
    case = _case(case_id)
    package = package_for_referral(case.referral_id)
    version = current_version(package)
    key = f"reablement:{case.pk}:{what}:{version.pk}:provider"

    def messages():
        subject, line = _what_changed(case, package)
        users = User.objects.filter(provider_id=version.agreement.provider_id, is_active=True).exclude(email="")
        body = f"{line}\n\nSign in to the provider portal to see it.\n\n{BEHIND_A_LOGIN}\n"
        return [plain_message(subject=subject, body=body, to=u.email) for u in users]

    return send_once(key, messages)


def tell_spa(case_id: int, what: str) -> bool:
    case = _case(case_id)
    package = package_for_referral(case.referral_id)
    version = current_version(package)
    key = f"reablement:{case.pk}:{what}:{version.pk}:spa"

    def messages():
        subject, line = _what_changed(case, package)
        done = "ended" if what == "end" else "applied the re-assessment"
        body = (
            f"Brokerage has {done} for reablement case {case.reference}. {line}\n\n"
            f"{absolute_url(case.get_absolute_url())}\n\n{BEHIND_A_LOGIN}\n"
        )
        users = {u.pk: u for u in [case.worker, *(r.recorded_by for r in case.reassessments.all())] if u}
        return [
            plain_message(subject=f"{subject} ({case.reference})", body=body, to=u.email)
            for u in users.values()
            if u.is_active and u.email
        ]

    return send_once(key, messages)
