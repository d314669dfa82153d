"""Roles are Django groups named by these values (SPEC §1). A user may hold more than one."""

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    BROKERAGE_OFFICER = "brokerage_officer", "Brokerage officer"
    TEAM_LEAD = "brokerage_team_lead", "Brokerage team lead"
    CAP_MEMBER = "cap_member", "Care Authorisation Panel member"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    SPA_WORKER = "spa_worker", "Single point of access worker"
    REVIEW_TEAM = "review_team", "Review team"
    CONTRACT_MONITORING = "contract_monitoring_officer", "Contract monitoring officer"
    DPS_TEAM = "dps_team", "DPS team"
    FIRST_RESPONSE = "first_response", "First Response team"
    MONITORING_OFFICER = "monitoring_officer", "Monitoring officer"
    FINANCE_OFFICER = "finance_officer", "Finance and admin officer"
    PROVIDER_USER = "provider_user", "Provider user"


# Practitioners own assessments, plans and budgets; Brokerage may never change them (SPEC §2).
PRACTITIONERS = frozenset({Role.SOCIAL_WORKER, Role.SPA_WORKER})
BROKERAGE = frozenset({Role.BROKERAGE_OFFICER, Role.TEAM_LEAD})
