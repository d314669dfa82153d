"""The digest e-mails a run of the daily sweep queues (reviews.services.sweep_reviews): one to each person told, listing
their reviews, rather than one e-mail a review. Each goes once (core.mail.send_once, keyed by the run and the
person), so a task run again after a retry or a lost worker sends only what had not gone.

Who is told:
- a review due within the week: the worker a 6-week review is assigned to; every active member of the review team
  for a 12-month review (the team shares its reviews, and has no lead in accounts);
- an overdue review, escalated: for a 6-week review, the Brokerage team leads of the team that administers its
  package. Social workers belong to no team in accounts (User.team is a Brokerage team), so the only team leads
  there are Brokerage's; the package's team is the one that arranged the service and may cancel the review,
  and its leads see the person while the review is overdue (reviews.access). For a 12-month review, the review
  team again, every active member.

E-mail is not a secure channel: each line gives a review's reference, kind, due date and link, never the person.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.mail import absolute_url, plain_message, send_once

from .models import Review, ReviewSweep
from .workflows import Kind

DIGEST_LINES = 50  # a section lists this many reviews, then says how many more are on the home page
BEHIND_A_LOGIN = (
    "Sign in to see the details: they are not in this e-mail, because e-mail is not a secure channel.\n\n"
    "Brokerage case management"
)


@dataclass(frozen=True)
class Line:
    reference: str
    kind: str
    due_on: date
    path: str

    def __str__(self) -> str:
        return f"- {self.reference}, {self.kind}, due {self.due_on:%-d %B %Y}: {absolute_url(self.path)}"


@dataclass
class Digest:
    due: list[Line] = field(default_factory=list)
    overdue: list[Line] = field(default_factory=list)


def digests(sweep_id: int) -> dict[User, Digest]:
    """What each person is told about the run's reviews, soonest due first. Five queries, however many reviews."""
    rows = list(
        Review.objects.filter(Q(reminded_in=sweep_id) | Q(escalated_in=sweep_id))
        .order_by("due_on", "id")
        .values_list("id", "kind", "due_on", "assigned_to_id", "package__team_id", "reminded_in_id", "escalated_in_id")
    )
    workers = _told(User.objects.filter(pk__in={row[3] for row in rows if row[3] is not None}))
    review_team = list(_told(User.objects.filter(groups__name=Role.REVIEW_TEAM)).values())
    leads_by_team = defaultdict(list)
    escalated_teams = {row[4] for row in rows if row[6] == sweep_id and row[1] == Kind.SIX_WEEK}
    for lead in _told(User.objects.filter(groups__name=Role.TEAM_LEAD, team_id__in=escalated_teams)).values():
        leads_by_team[lead.team_id].append(lead)

    told: dict[User, Digest] = defaultdict(Digest)
    for review_id, kind, due_on, worker_id, team_id, reminded_in, escalated_in in rows:
        line = Line(f"RV-{review_id:06d}", Kind(kind).label, due_on, reverse("reviews:detail", args=[review_id]))
        if escalated_in == sweep_id:
            for user in leads_by_team[team_id] if kind == Kind.SIX_WEEK else review_team:
                told[user].overdue.append(line)
        elif reminded_in == sweep_id:
            for user in [workers[worker_id]] if kind == Kind.SIX_WEEK and worker_id in workers else review_team:
                told[user].due.append(line)
    return dict(told)


def _told(users) -> dict[int, User]:
    """Those of `users` who can be e-mailed: active, with an address."""
    return {u.pk: u for u in users.filter(is_active=True).exclude(email="").distinct()}


def _section(heading: str, lines: list[Line]) -> str:
    shown = "\n".join(str(line) for line in lines[:DIGEST_LINES])
    more = len(lines) - DIGEST_LINES
    if more > 0:
        shown += f"\n...and {more:,} more on your home page: {absolute_url(reverse('home'))}"
    return f"{heading}\n\n{shown}\n\n"


def message(user: User, digest: Digest):
    parts = []
    if digest.overdue:
        parts.append(f"{len(digest.overdue):,} overdue")
    if digest.due:
        parts.append(f"{len(digest.due):,} due within the week")
    body = ""
    if digest.overdue:
        body += _section("These reviews are overdue: they were not recorded by their due date.", digest.overdue)
    if digest.due:
        body += _section("These reviews are due within the week.", digest.due)
    return plain_message(subject=f"Reviews: {' and '.join(parts)}", body=body + BEHIND_A_LOGIN + "\n", to=user.email)


def send_digests(sweep_id: int) -> int:
    """Send each person their digest of the run, unless it went before, then mark the run's digests sent. Returns
    how many this call sent."""
    sent = 0
    for user, digest in digests(sweep_id).items():
        sent += send_once(
            f"review-sweep-{sweep_id}:{user.pk}", lambda user=user, digest=digest: [message(user, digest)]
        )
    ReviewSweep.objects.filter(pk=sweep_id, digests_sent_at__isnull=True).update(digests_sent_at=timezone.now())
    return sent
