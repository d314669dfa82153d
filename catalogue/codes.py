"""The service types the code has rules and workflows for, and the policy each follows.

Their names, whether they are offered and what a refused referral is told are kept by admin staff on
catalogue.ServiceType rows; which workflow a service follows and who funds it are the code's, here.
"""

from django.db import models


class ServiceCode(models.TextChoices):
    """Every service Brokerage arranges (SPEC §3), and the three it turns away (SPEC §2).
    The labels are the names a new database starts with."""

    HOME_CARE = "home_care", "Domiciliary care (home care)"
    REABLEMENT = "reablement", "Reablement"
    RESIDENTIAL = "residential", "Residential care"
    NURSING = "nursing", "Nursing care"
    RESPITE = "respite", "Respite"
    SUPPORTED_LIVING = "supported_living", "Supported living"
    SHARED_LIVES = "shared_lives", "Shared lives"
    DAY_OPPORTUNITIES = "day_opportunities", "Day opportunities"
    DIRECT_PAYMENT = "direct_payment", "Cash personal budget (direct payment)"
    TRANSPORT = "transport", "Transport"
    MEALS = "meals", "Meals on wheels"
    CARERS_RELIEF = "carers_relief", "Carers relief"
    ESCORT = "escort", "Escort service"
    OUTREACH = "outreach", "Outreach"
    EXTRA_CARE = "extra_care", "Extra care (referral only)"
    CARERS_SUPPORT = "carers_support", "Carers' support (referral only)"
    TELECARE = "telecare", "Telecare or assistive technology"
    MINOR_WORKS = "minor_works", "Minor works or low-level adaptations"
    OT_EQUIPMENT = "ot_equipment", "Occupational therapy equipment or major adaptations"


# Not Brokerage's: a request for these is turned away, saying where it goes instead (SPEC §2). These are
# the messages a new database starts with; admin staff keep them on the service type.
NOT_BROKERED = {
    ServiceCode.TELECARE: "Brokerage does not arrange telecare or assistive technology. "
    "Refer the person to the Assistive Technology team.",
    ServiceCode.MINOR_WORKS: "Brokerage does not arrange minor works or low-level adaptations. "
    "Refer the person to the Home Improvement Agency.",
    ServiceCode.OT_EQUIPMENT: "Brokerage does not arrange occupational therapy equipment or major adaptations. "
    "Refer the person to the Occupational Therapy service.",
}
# Funded by a head of service's out-of-panel approval rather than the Care Authorisation Panel.
OUT_OF_PANEL_SERVICES = {ServiceCode.RESIDENTIAL, ServiceCode.NURSING, ServiceCode.SUPPORTED_LIVING}
# Sent straight to Brokerage with the practitioner's plan, no panel: reablement's plan is SPA's (the procedure).
FUNDED_WITHOUT_PANEL = {ServiceCode.REABLEMENT}
# Recorded with where they went; nothing is sourced (SPEC §3).
REFERRAL_ONLY_SERVICES = {ServiceCode.EXTRA_CARE, ServiceCode.CARERS_SUPPORT}
