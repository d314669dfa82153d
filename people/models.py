from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse

from catalogue.codes import OUT_OF_PANEL_SERVICES
from core.models import TimeStampedModel

from .languages import language_choices
from .validators import postcode_district, validate_date_of_birth, validate_nhs_number, validate_postcode


class Specialism(models.TextChoices):
    """Skills a plan may need and a provider may offer; the shortlist matches one to the other."""

    DEMENTIA = "dementia", "Dementia"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    AUTISM = "autism", "Autism"
    MENTAL_HEALTH = "mental_health", "Mental health"
    PHYSICAL_DISABILITY = "physical_disability", "Physical disability"
    SENSORY_IMPAIRMENT = "sensory_impairment", "Sensory impairment"
    COMPLEX_CARE = "complex_care", "Complex care"
    BARIATRIC_CARE = "bariatric_care", "Bariatric care"
    END_OF_LIFE = "end_of_life", "End of life care"
    DOUBLE_HANDED = "double_handed", "Double-handed care"


class Person(TimeStampedModel):
    """A person who receives, or may receive, adult social care (a service user)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(validators=[validate_date_of_birth])
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, validators=[validate_nhs_number])
    address_line_1 = models.CharField("Address line 1", max_length=200)
    address_line_2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or city", max_length=100)
    postcode = models.CharField(max_length=8, validators=[validate_postcode])
    phone = models.CharField("Phone number", max_length=30, blank=True)
    representative_name = models.CharField("Next of kin or representative", max_length=200, blank=True)
    representative_relationship = models.CharField("Relationship to the person", max_length=100, blank=True)
    representative_phone = models.CharField("Their phone number", max_length=30, blank=True)
    area = models.ForeignKey("brokerage.Area", on_delete=models.PROTECT, related_name="people")
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload",
        help_text="The practitioner who holds this person's case.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"], condition=~Q(nhs_number=""), name="person_nhs_number_unique"
            ),
        ]
        indexes = [
            # Lists of people are in name order, page by page (people.selectors).
            models.Index(fields=["last_name", "first_name", "id"], name="person_name_order"),
            models.Index(fields=["allocated_worker", "last_name", "first_name", "id"], name="person_caseload"),
            # A search for part of a name or postcode (icontains: UPPER(column) LIKE '%TERM%').
            *[
                GinIndex(OpClass(Upper(field), name="gin_trgm_ops"), name=f"person_{field}_trgm")
                for field in ("first_name", "last_name", "postcode")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def postcode_district(self) -> str:
        return postcode_district(self.postcode)

    @property
    def team_id(self) -> str:
        """The code of the Brokerage team that serves the person's area."""
        return self.area.team_id


class NeedsAssessment(TimeStampedModel):
    """A practitioner's needs assessment. Versions are kept: a change is a new version."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    version = models.PositiveIntegerField()
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    presenting_needs = models.TextField("What the person needs help with")
    eligible_needs = models.TextField("Eligible needs under the Care Act 2014")
    specific_or_complex_needs = models.TextField(
        "Specific or complex needs", blank=True, help_text="What a provider must be skilled in."
    )

    class Meta:
        ordering = ["person", "-version"]
        constraints = [models.UniqueConstraint(fields=["person", "version"], name="assessment_version_unique")]

    def __str__(self) -> str:
        return f"Needs assessment v{self.version} for {self.person}"


class ProvisionKind(models.TextChoices):
    """The sort of supported living provision a plan asks for (the Haringey procedure, supported living step 1)."""

    SHARED_HOUSE = "shared_house", "A shared house with support staff"
    SELF_CONTAINED = "self_contained", "A self-contained flat with support on site"
    CLUSTER = "cluster", "A cluster of flats sharing a staff team"
    OWN_TENANCY = "own_tenancy", "Support in the person's own tenancy"


class CareAndSupportPlan(TimeStampedModel):
    """How care should be delivered, and the indicative budget, as a practitioner wrote it.

    A plan sent for funding or to Brokerage is frozen; a change makes a new version.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField()
    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.PROTECT, related_name="plans", null=True, blank=True
    )
    service_type = models.ForeignKey(
        "catalogue.ServiceType", db_index=False, on_delete=models.PROTECT, related_name="+", db_column="service_type"
    )
    weekly_hours = models.DecimalField(
        "Hours a week",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0.01"), "Hours a week must be more than 0"),
            MaxValueValidator(168, "Hours a week cannot be more than 168, the hours in a week"),
        ],
    )
    visit_schedule = models.JSONField(
        default=list,
        blank=True,
        help_text="Visits as a list of {day, time, minutes, carers}, where the service has visits.",
    )
    outcomes = models.TextField("Outcomes the person wants to achieve")
    specific_or_complex_needs = models.TextField("Specific or complex needs", blank=True)
    required_specialisms = ArrayField(
        models.CharField(max_length=32, choices=Specialism.choices),
        default=list,
        blank=True,
        verbose_name="Skills the provider needs",
        help_text="Used to shortlist providers with these skills.",
    )
    # A choice, never free text: it goes to every bidder on a DPS requirement.
    preferred_language = models.CharField(
        "Language the carers should speak", max_length=3, choices=language_choices, blank=True
    )
    preferred_locations = models.TextField("Preferred locations", blank=True)
    places_to_avoid = models.TextField("Places to avoid", blank=True)
    # Supported living: the sort of provision and the 1:1 hours on top of the shared (core) support.
    provision_kind = models.CharField(
        "Kind of supported living provision", max_length=16, choices=ProvisionKind.choices, blank=True
    )
    one_to_one_hours = models.DecimalField(
        "1:1 hours a week",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), "1:1 hours a week cannot be less than 0"),
            MaxValueValidator(168, "1:1 hours a week cannot be more than 168, the hours in a week"),
        ],
    )
    indicative_weekly_budget = models.DecimalField(
        "Indicative weekly budget (£)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "The indicative weekly budget cannot be less than £0")],
    )
    budget_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    locked_at = models.DateTimeField(null=True, blank=True, help_text="Set when sent for funding or to Brokerage.")

    class Meta:
        ordering = ["person", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="plan_version_unique"),
            models.CheckConstraint(
                condition=~Q(service_type__in=["telecare", "minor_works", "ot_equipment"]),
                name="plan_service_is_brokered",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True) | Q(weekly_hours__gt=0, weekly_hours__lte=168),
                name="plan_weekly_hours_in_a_week",
                violation_error_message="Hours a week must be more than 0 and no more than 168.",
            ),
            models.CheckConstraint(
                condition=Q(one_to_one_hours__isnull=True) | Q(one_to_one_hours__gte=0, one_to_one_hours__lte=168),
                name="plan_one_to_one_hours_in_a_week",
                violation_error_message="1:1 hours a week must be from 0 to 168.",
            ),
            models.CheckConstraint(
                condition=Q(indicative_weekly_budget__isnull=True) | Q(indicative_weekly_budget__gte=0),
                name="plan_budget_not_negative",
                violation_error_message="The indicative weekly budget cannot be less than £0.",
            ),
        ]

    def __str__(self) -> str:
        return f"Care and support plan v{self.version} for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("people:plan_detail", args=[self.person_id, self.pk])

    @property
    def specialism_labels(self) -> list[str]:
        return [Specialism(s).label for s in self.required_specialisms]

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def needs_out_of_panel_approval(self) -> bool:
        return self.service_type_id in OUT_OF_PANEL_SERVICES
