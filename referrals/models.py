from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from approvals.selectors import approved_weekly_amount, is_approved
from catalogue.codes import FUNDED_WITHOUT_PANEL, OUT_OF_PANEL_SERVICES, REFERRAL_ONLY_SERVICES
from catalogue.sourcing import route_of
from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import (
    BROKERAGE_STATES,
    CHANGE_OPEN_STATES,
    LAYOUT,
    LIVE_STATES,
    OPEN_STATES,
    TEAM_WORK_STATES,
    ReferralWorkflow,
    State,
)


class Referral(ReferralWorkflow, TimeStampedModel):
    """A piece of work sent to Brokerage: every kind in SPEC §2–§3 comes through here."""

    class Kind(models.TextChoices):
        SUPPORT_PLAN = "support_plan", "New care and support plan"
        URGENT_RESPONSE = "urgent_response", "Urgent response"
        LONGER_TERM_ASSESSMENT = "longer_term_assessment", "Longer-term assessment"
        CHANGE = "change", "Change to an existing service"
        SOURCING_SUPPORT = "sourcing_support", "Sourcing support before the plan is signed off"

    class Change(models.TextChoices):
        INCREASE = "increase", "Increase"
        REDUCE = "reduce", "Reduce"
        SUSPEND = "suspend", "Suspend"
        CHANGE_PROVIDER = "change_provider", "Change of provider"

    State = State

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    plan = models.ForeignKey(
        "people.CareAndSupportPlan", on_delete=models.PROTECT, related_name="referrals", null=True, blank=True
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    change = models.CharField(max_length=20, choices=Change.choices, blank=True)
    # The running package a change changes (packages.CarePackage, a floor above: a plain id, found by
    # referrals.running when the change is made).
    care_package_id = models.PositiveBigIntegerField(null=True, blank=True)
    service_type = models.ForeignKey(
        "catalogue.ServiceType", db_index=False, on_delete=models.PROTECT, related_name="+", db_column="service_type"
    )
    details = models.TextField("What Brokerage needs to know")
    urgent = models.BooleanField(default=False)
    effective_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="When a temporary increase ends.")
    puts_person_at_risk = models.BooleanField(default=False)
    risk_strategies = models.TextField(blank=True)
    risk_strategies_agreed_at = models.DateTimeField(null=True, blank=True)
    referred_on_to = models.CharField(max_length=200, blank=True)
    # The team is fixed when the referral is made, from the person's area, so the queue is one index.
    team = models.ForeignKey(
        "catalogue.Team", db_index=False, on_delete=models.PROTECT, related_name="+", db_column="team"
    )
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made")
    submitted_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    due_by = models.DateTimeField(null=True, blank=True, help_text="When sourcing should be done by.")
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_allocated", null=True, blank=True
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    sourcing_options = models.TextField(blank=True)
    active_at = models.DateTimeField(null=True, blank=True, help_text="When the purchase order made it active.")

    class Meta:
        ordering = ["-urgent", "queued_at", "id"]
        indexes = [
            models.Index(fields=["team", "state", "-urgent", "queued_at"], name="referral_queue"),
            models.Index(fields=["allocated_to", "state"], name="referral_officer"),
            # "Referrals you made", newest first, on a practitioner's home page.
            models.Index(fields=["referred_by", "-created_at"], name="referral_referrer"),
            # Which people a team has work for (people.access): a few thousand rows of half a million.
            models.Index(fields=["team", "person"], condition=Q(state__in=TEAM_WORK_STATES), name="referral_team_work"),
            # The team's whole queue in the order it is shown, so a page is read, not sorted.
            # Covering: the counts on officers' and team leads' home pages are read from it alone.
            models.Index(
                fields=["team", "-urgent", "queued_at", "id"],
                condition=Q(state__in=BROKERAGE_STATES),
                include=["state", "allocated_to", "due_by"],
                name="referral_team_queue",
            ),
            # An officer's own tasks in the queue's order ("Mine", and their home page's first ten): an officer can
            # hold thousands, which must not all be joined to their people to show fifty.
            models.Index(
                fields=["allocated_to", "-urgent", "queued_at", "id"],
                condition=Q(state__in=BROKERAGE_STATES),
                name="referral_officer_queue",
            ),
            # The plans waiting for a funding decision in the order listed (referrals.selectors), so a page
            # joins its own 50 rows to people and plans, not every plan waiting in the county.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(state=State.AWAITING_FUNDING),
                name="referral_awaiting_funding",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(service_type__in=["telecare", "minor_works", "ot_equipment"]),
                name="referral_service_is_brokered",
            ),
            models.CheckConstraint(
                condition=Q(kind="change", change__gt="") | (~Q(kind="change") & Q(change="")),
                name="referral_change_type_only_for_changes",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(effective_date__isnull=False, end_date__gt=models.F("effective_date")),
                name="referral_end_after_effective_date",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind", "change"],
                condition=Q(plan__isnull=False, state__in=LIVE_STATES),
                name="one_live_referral_per_plan_and_kind",
                violation_error_message="There is already a referral of this kind for this plan.",
            ),
            models.UniqueConstraint(
                fields=["care_package_id", "change"],
                condition=Q(care_package_id__isnull=False, state__in=CHANGE_OPEN_STATES),
                name="one_live_change_per_package_and_kind",
                violation_error_message="This service already has an open change of this kind.",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["allocated", "options_returned", "active"]) | Q(allocated_to__isnull=False),
                name="referral_allocated_has_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}: {self.get_kind_display()} for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"BR-{self.pk:06d}"

    @property
    def is_to_be_sourced(self) -> bool:
        """Sourcing support is answered with options; everything else is commissioned."""
        return self.kind != self.Kind.SOURCING_SUPPORT

    @property
    def own_work(self):
        """The work of this referral's service type in its own app (a commission or a placement), once started."""
        route = route_of(self)
        return route.work_of(self) if route is not None else None

    @property
    def is_referral_only(self) -> bool:
        return self.service_type_id in REFERRAL_ONLY_SERVICES

    @property
    def referral_type(self) -> "ReferralType | None":
        return REFERRAL_TYPE_OF.get((self.kind, self.change))

    @property
    def needs_funding(self) -> bool:
        """A new or increased service needs a practitioner's authorisation: a funded plan (SPEC §2). Reablement
        needs none: SPA's reablement plan is the authorisation, and it goes straight to Brokerage (the procedure
        has no panel for it)."""
        return (
            self.referral_type is not None
            and self.referral_type.needs_funding
            and self.service_type_id not in FUNDED_WITHOUT_PANEL
        )

    @property
    def needs_out_of_panel_approval(self) -> bool:
        return self.service_type_id in OUT_OF_PANEL_SERVICES

    @property
    def has_approved_funding(self) -> bool:
        """Is the plan funded? Approvals answer it (approvals.selectors): the referral keeps no flag of its own."""
        return is_approved(self.plan_id)

    @property
    def approved_weekly_amount(self):
        """The most Brokerage may commission for this referral's plan, if it was approved (SPEC §2)."""
        return approved_weekly_amount(self.plan_id)

    @property
    def live_requirement(self):
        """The requirement out for bids or under review, if any."""
        return self.requirements.filter(status__in=["open", "closed"]).first()

    @property
    def active_agreement(self):
        return self.agreements.filter(status="active").first()

    @property
    def sourcing_time(self):
        """How long sourcing took: from joining the queue to the purchase order (SPEC §6)."""
        if self.active_at and self.queued_at:
            return self.active_at - self.queued_at
        return None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


# What each kind of referral asks ---------------------------------------------------------------
# Written once, from SPEC §2–§4 and the procedures: the referral form shows and validates only what a kind asks,
# and create_referral refuses a plan a kind takes none of, or a required answer left out.


@dataclass(frozen=True)
class Question:
    """One field of a referral as one kind asks it. `missing` is the message when a required answer is left out:
    the form shows it by the field and create_referral refuses with it. No `missing`, not required."""

    field: str
    label: str
    hint: str = ""
    missing: str = ""

    @property
    def required(self) -> bool:
        return bool(self.missing)


@dataclass(frozen=True)
class ReferralType:
    """An answer to "What kind of referral is this?": a kind (and, for a change, which change) and what its form
    asks, in order. A field it does not ask is never saved: the form has no such field, and create_referral refuses
    a plan it was given, or saves any other such field empty."""

    slug: str  # in the address of its form
    kind: str
    change: str
    label: str
    hint: str
    called: str  # in a sentence: "a longer-term assessment"
    questions: tuple[Question, ...]
    needs_funding: bool = False  # a funded plan first: the Care Authorisation Panel, or a head of service
    always_urgent: bool = False

    def question(self, field: str) -> Question | None:
        return next((q for q in self.questions if q.field == field), None)

    def asks(self, field: str) -> bool:
        return self.question(field) is not None

    def needs(self, field: str) -> bool:
        question = self.question(field)
        return question is not None and question.required

    @property
    def ends_before_it_starts(self) -> str:
        """The message for an end date on or before the start date."""
        ends, starts = self.question("end_date").label, self.question("effective_date").label
        return f"{ends} must be after the {starts[:1].lower()}{starts[1:]}"

    @property
    def service_from_plan(self) -> bool:
        """The service is the plan's: the form does not ask it again."""
        return self.needs("plan") and not self.asks("service_type")


REFERRAL_ONLY_AS_A_NEW_PLAN = (
    "Extra care and carers' support are referral-only: send a new care and support plan referral, saying where you "
    "referred the person"
)
DATE_HINT = "For example, 27 3 2027"
SERVICE_HINT = "Telecare, minor works and occupational therapy equipment are not arranged by Brokerage."
DETAILS = "What Brokerage needs to know"
URGENT = Question(
    "urgent", "This is urgent", "Urgent referrals go to the top of the team's queue and are due within a day."
)


def _details(hint: str, label: str = DETAILS) -> Question:
    return Question("details", label, hint, missing=f"Enter {label[:1].lower()}{label[1:]}")


def _service(label: str = "Service") -> Question:
    return Question("service_type", label, SERVICE_HINT, missing=f"Select the {label[:1].lower()}{label[1:]}")


def _at_risk(change: str) -> Question:
    return Question(
        "puts_person_at_risk",
        f"This {change} could put the person or their carer at risk",
        "It is held until risk management strategies have been recorded as agreed.",
    )


REFERRAL_TYPES = {
    t.slug: t
    for t in (
        ReferralType(
            "care-and-support-plan",
            Referral.Kind.SUPPORT_PLAN,
            "",
            "New care and support plan",
            "A new service from a plan. It goes to the Care Authorisation Panel, or to a head of service, for "
            "funding first.",
            "a new care and support plan",
            (
                Question(
                    "plan",
                    "Care and support plan",
                    "Brokerage arranges the service it sets out.",
                    missing="Select the care and support plan",
                ),
                _details(
                    "Anything that helps find the right provider: specific or complex needs, times, or a place "
                    "the person has asked to live."
                ),
                URGENT,
                Question(
                    "referred_on_to",
                    "Where you referred the person",
                    "Only for extra care or carers' support. Brokerage records where the referral went; it does not "
                    "arrange these services.",
                ),
            ),
            needs_funding=True,
        ),
        ReferralType(
            "urgent-response",
            Referral.Kind.URGENT_RESPONSE,
            "",
            "Urgent response",
            "A service needed now, before a plan is written. It goes straight to the top of the team's queue.",
            "an urgent response",
            (_service(), _details("What is needed, from when, and why it is urgent.")),
            always_urgent=True,
        ),
        ReferralType(
            "longer-term-assessment",
            Referral.Kind.LONGER_TERM_ASSESSMENT,
            "",
            "Longer-term assessment",
            "A service while the person's longer-term needs are assessed. No plan is needed: it goes straight to "
            "the team's queue.",
            "a longer-term assessment",
            (_service(), _details("What is needed while the assessment is done, and from when."), URGENT),
        ),
        ReferralType(
            "sourcing-support",
            Referral.Kind.SOURCING_SUPPORT,
            "",
            "Sourcing support",
            "Before the plan is signed off: Brokerage finds options and returns them to you for support planning.",
            "a sourcing support request",
            (
                _service(),
                Question("plan", "Draft care and support plan", "If there is one, it helps Brokerage find options."),
                _details(
                    "The support the person needs, and anything that narrows the search, such as days, times or "
                    "places.",
                    label="What Brokerage should look for",
                ),
                URGENT,
            ),
        ),
        ReferralType(
            "increase",
            Referral.Kind.CHANGE,
            Referral.Change.INCREASE,
            "Increase a service",
            "After a new assessment and plan. It goes to the Care Authorisation Panel for funding first. It can be "
            "temporary.",
            "an increase",
            (
                Question(
                    "plan",
                    "Care and support plan for the increase",
                    "The plan that sets out how the increased care should be delivered.",
                    missing="Select the care and support plan for the increase",
                ),
                Question(
                    "effective_date",
                    "Date the increase starts",
                    DATE_HINT,
                    missing="Enter the date the increase starts",
                ),
                Question(
                    "end_date",
                    "Date the increase ends",
                    "Only if the increase is temporary and you know when it ends: the package goes back on that "
                    "date. If you do not know, send a reduction when it is no longer needed. " + DATE_HINT,
                ),
                _details("What changes, for example more visits or longer ones."),
                URGENT,
            ),
            needs_funding=True,
        ),
        ReferralType(
            "reduction",
            Referral.Kind.CHANGE,
            Referral.Change.REDUCE,
            "Reduce a service",
            "After a review, with the updated plan.",
            "a reduction",
            (
                Question(
                    "plan",
                    "Updated care and support plan",
                    "The plan as updated at the person's review. Brokerage updates the record with it.",
                    missing="Select the updated care and support plan",
                ),
                Question(
                    "effective_date",
                    "Date the reduction takes effect",
                    DATE_HINT,
                    missing="Enter the date the reduction takes effect",
                ),
                _at_risk("reduction"),
                _details("What is reduced, and why."),
                URGENT,
            ),
        ),
        ReferralType(
            "suspension",
            Referral.Kind.CHANGE,
            Referral.Change.SUSPEND,
            "Suspend a service",
            "For example, while the person is in hospital or on holiday.",
            "a suspension",
            (
                _service("Service to suspend"),
                Question(
                    "effective_date",
                    "Date the service is suspended from",
                    DATE_HINT,
                    missing="Enter the date the service is suspended from",
                ),
                Question("end_date", "Date the service starts again", "If you know it. " + DATE_HINT),
                _at_risk("suspension"),
                _details("Why the service is suspended, for example a hospital admission or a holiday."),
                URGENT,
            ),
        ),
        ReferralType(
            "change-of-provider",
            Referral.Kind.CHANGE,
            Referral.Change.CHANGE_PROVIDER,
            "Change of provider",
            "Brokerage first asks whether a change of times, carer or tasks would let the service continue, then "
            "finds a new provider.",
            "a change of provider",
            (
                Question(
                    "plan",
                    "Care and support plan",
                    "Update it first if you can.",
                    missing="Select the care and support plan",
                ),
                _details(
                    "What has gone wrong, and whether a change of times, carer or tasks could let the service "
                    "continue. Submit a quality alert to the Contract Monitoring Team too.",
                    label="Why the provider needs to change",
                ),
                URGENT,
            ),
            needs_funding=True,
        ),
    )
}
REFERRAL_TYPE_OF = {(t.kind, t.change): t for t in REFERRAL_TYPES.values()}


class ReferralTransition(TransitionRecord):
    """One step of a referral's journey, shown as its timeline. Written only by REFERRAL_MACHINE."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=32, choices=State.choices)
    target = models.CharField(max_length=32, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


REFERRAL_MACHINE = Machine(
    model=Referral,
    log=ReferralTransition,
    subject="referral",
    title="How a referral moves through Brokerage",
    layout=LAYOUT,
    person_of=lambda referral: referral.person,
)
