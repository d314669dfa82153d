from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from core.models import TimeStampedModel
from people.models import Specialism


class Provider(TimeStampedModel):
    """A care provider organisation. Its staff sign in as provider users (accounts.User.provider)."""

    class CQCRating(models.TextChoices):
        OUTSTANDING = "outstanding", "Outstanding"
        GOOD = "good", "Good"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"
        NOT_RATED = "not_rated", "Not yet rated"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    cqc_registration_number = models.CharField("CQC registration number", max_length=20, blank=True)
    cqc_rating = models.CharField("CQC rating", max_length=24, choices=CQCRating.choices, default=CQCRating.NOT_RATED)
    contact_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    # The organisation's id in an Open Referral UK directory, so a re-import updates, not duplicates.
    open_referral_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    active = models.BooleanField(default=True)
    # The council's own service (an in-house day centre, say): Brokerage places a person there without a bid, a
    # spot contract or telling the DPS team; its purchase order is internal.
    in_house = models.BooleanField(
        "The council's own in-house service",
        default=False,
        help_text="Places are arranged directly, with no requirement or bid; the purchase order is internal.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Better rated first when ranking a shortlist.
CQC_RANK = {
    Provider.CQCRating.OUTSTANDING: 0,
    Provider.CQCRating.GOOD: 1,
    Provider.CQCRating.NOT_RATED: 2,
    Provider.CQCRating.REQUIRES_IMPROVEMENT: 3,
    Provider.CQCRating.INADEQUATE: 4,
}


class ProviderService(models.Model):
    """One service a provider offers: where, with which skills, and under which arrangement."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    service_type = models.ForeignKey(
        "catalogue.ServiceType", db_index=False, on_delete=models.PROTECT, related_name="+", db_column="service_type"
    )
    arrangement = models.ForeignKey(
        "dps.PurchasingArrangement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="Empty when the provider is off-framework (spot contracts only).",
    )
    districts = ArrayField(
        models.CharField(max_length=4), default=list, blank=True, help_text="Postcode districts covered, like E1 or W2."
    )
    specialisms = ArrayField(models.CharField(max_length=32, choices=Specialism.choices), default=list, blank=True)
    languages = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    weekly_hours_capacity = models.PositiveIntegerField(
        "Capacity (hours a week)", null=True, blank=True, help_text="Hours a week the provider can take on now."
    )

    class Meta:
        ordering = ["provider__name", "service_type_id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "service_type"], name="provider_service_unique"),
        ]
        indexes = [GinIndex(fields=["districts"], name="provider_service_districts")]

    def __str__(self) -> str:
        return f"{self.provider}: {self.service_type}"

    @property
    def is_enrolled(self) -> bool:
        return self.arrangement_id is not None


class TaxonomyMapping(models.Model):
    """What a term in a provider directory's taxonomy means to us: one of our service types or specialisms,
    or nothing we use. Admin staff keep these in Django admin; an import reports every term it finds
    without one (providers.importers)."""

    taxonomy = models.CharField(
        max_length=200,
        blank=True,
        help_text="The taxonomy's name as the directory gives it (taxonomy_term.taxonomy). Blank: in any taxonomy.",
    )
    term = models.CharField(
        max_length=200,
        help_text="The term's code (taxonomy_term.term) or its label (taxonomy_term.name), as the directory "
        "gives it. Matched whatever the case.",
    )
    service_type = models.ForeignKey(
        "catalogue.ServiceType",
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_column="service_type",
        null=True,
        blank=True,
    )
    specialism = models.CharField(max_length=32, choices=Specialism.choices, blank=True)
    ignored = models.BooleanField(
        "Not used by Brokerage", default=False, help_text="A term that says nothing we source care by."
    )

    class Meta:
        ordering = ["taxonomy", "term"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("taxonomy"), models.functions.Lower("term"), name="taxonomy_term_mapped_once"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(service_type__isnull=False, specialism="", ignored=False)
                    | models.Q(service_type__isnull=True, specialism__gt="", ignored=False)
                    | models.Q(service_type__isnull=True, specialism="", ignored=True)
                ),
                name="taxonomy_term_means_one_thing",
                violation_error_message="Choose one: a service type, a specialism, or not used by Brokerage.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.taxonomy or 'any taxonomy'}) → {self.meaning}"

    @property
    def meaning(self) -> str:
        if self.service_type_id:
            return f"service type: {self.service_type}"
        if self.specialism:
            return f"specialism: {self.get_specialism_display()}"
        return "not used"
