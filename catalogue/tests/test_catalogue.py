"""Teams and service types are reference data admin staff keep in Django admin, and the app follows what
they keep: a team's areas route its referrals, a service's name, whether it is offered and what a refused
referral is told."""

import pytest
from django.core import mail
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import AuditEvent
from brokerage.models import Area
from brokerage.selectors import QueueFilters, queue
from catalogue.models import ServiceType, Team
from catalogue.services import ensure_service_types
from core.exceptions import ActionRefused
from core.tests.forms import fresh_token
from people.forms import PlanForm
from people.tests.factories import make_person
from referrals.forms import services_to_choose
from referrals.models import Referral
from referrals.services import create_referral


def _urgent(worker, person, service_type="home_care"):
    return create_referral(
        acting_user=worker, person=person, kind="urgent_response", service_type=service_type, details="Needs help"
    )


def test_admin_staff_set_up_a_team_whose_area_sends_referrals_to_its_queue_and_inbox(
    client, finance_officer, social_worker, django_capture_on_commit_callbacks
):
    client.force_login(finance_officer)
    response = client.post(
        reverse("admin:catalogue_team_add"),
        {"code": "north", "name": "North", "email": "brokerage.north@riverside.example.gov.uk"},
    )
    assert response.status_code == 302
    north = Team.objects.get(code="north")
    assert AuditEvent.objects.filter(actor=finance_officer, object_id="north", action="created").exists()
    response = client.post(reverse("admin:brokerage_area_add"), {"name": "Northfields", "team": "north"})
    assert response.status_code == 302
    officer = UserFactory(roles=[Role.BROKERAGE_OFFICER], team="north")
    east_officer = UserFactory(roles=[Role.BROKERAGE_OFFICER], team="east")

    person = make_person(social_worker, Area.objects.get(name="Northfields"))
    with django_capture_on_commit_callbacks(execute=True):
        referral = _urgent(social_worker, person)

    assert referral.team == north
    assert list(queue(officer, QueueFilters()).values_list("pk", flat=True)) == [referral.pk]
    assert not queue(east_officer, QueueFilters()).exists()
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([officer.email, "brokerage.north@riverside.example.gov.uk"])
    assert "for the North team" in mail.outbox[0].subject


def test_a_team_with_areas_cannot_be_deleted(east_area):
    with pytest.raises(ProtectedError):
        Team.objects.get(code="east").delete()


def test_a_teams_code_cannot_change_once_made(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.gov.uk", "a-long-password-1")
    client.force_login(admin)
    client.post(reverse("admin:catalogue_team_change", args=["east"]), {"code": "eastern", "name": "East side"})
    assert Team.objects.filter(code="east", name="East side").exists()
    assert not Team.objects.filter(code="eastern").exists()


def test_admin_staff_rename_a_service_and_every_form_and_page_uses_the_new_name(
    client, finance_officer, social_worker, person
):
    client.force_login(finance_officer)
    response = client.post(
        reverse("admin:catalogue_servicetype_change", args=["home_care"]),
        {"name": "Care at home", "offered": "on", "refusal": "", "position": "1"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=finance_officer, object_id="home_care", action="changed").exists()

    assert ("home_care", "Care at home") in services_to_choose()
    assert ("home_care", "Care at home") in [
        (c[0].value, c[1]) for c in PlanForm(person=person).fields["service_type"].choices if c[0]
    ]
    referral = _urgent(social_worker, person)
    client.force_login(social_worker)
    assert "Care at home" in client.get(referral.get_absolute_url()).content.decode()


def test_a_service_no_longer_offered_leaves_the_forms_and_new_referrals_are_refused(social_worker, person):
    ServiceType.objects.filter(code="day_opportunities").update(offered=False)

    assert "day_opportunities" not in dict(services_to_choose())
    assert "day_opportunities" not in [
        c[0].value for c in PlanForm(person=person).fields["service_type"].choices if c[0]
    ]
    with pytest.raises(ActionRefused, match="Day opportunities is no longer offered"):
        _urgent(social_worker, person, "day_opportunities")
    assert not Referral.objects.exists()


def test_a_plan_keeps_its_service_on_its_form_after_the_service_stops_being_offered(social_worker, person):
    from people.tests.factories import make_plan

    plan = make_plan(social_worker, person, service_type="day_opportunities", indicative_weekly_budget=None)
    ServiceType.objects.filter(code="day_opportunities").update(offered=False)

    choices = [c[0].value for c in PlanForm(instance=plan, person=person).fields["service_type"].choices if c[0]]
    assert "day_opportunities" in choices


def test_what_a_refused_referral_is_told_is_what_admin_staff_wrote(client, social_worker, person):
    ServiceType.objects.filter(code="telecare").update(refusal="Call the Careline team on 020 7946 0999.")
    client.force_login(social_worker)
    response = client.post(
        reverse("referrals:create_for_kind", args=[person.pk, "urgent-response"]),
        {"details": "Needs a pendant alarm", "service_type": "telecare", **fresh_token()},
        follow=True,
    )
    assert "Call the Careline team on 020 7946 0999." in response.content.decode()
    assert not Referral.objects.exists()


def test_service_types_are_kept_not_added_or_deleted_in_admin(client, finance_officer):
    client.force_login(finance_officer)
    assert client.get(reverse("admin:catalogue_servicetype_changelist")).status_code == 200
    assert client.get(reverse("admin:catalogue_servicetype_add")).status_code == 403
    assert (
        client.post(reverse("admin:catalogue_servicetype_delete", args=["respite"]), {"post": "yes"}).status_code == 403
    )
    assert ServiceType.objects.filter(code="respite").exists()


def test_every_service_type_the_code_knows_has_a_row_and_edited_rows_are_left_alone(db):
    ServiceType.objects.filter(code="respite").update(name="Short breaks")
    ServiceType.objects.filter(code="meals").delete()

    ensure_service_types()

    assert ServiceType.objects.get(code="respite").name == "Short breaks"
    assert ServiceType.objects.get(code="meals").name == "Meals on wheels"
    assert ServiceType.objects.count() == 19


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_teams_and_service_types_were_rows_upgrades():
    """Migrated back to before the catalogue, given old-style data, and forward again: every code it held is now
    a row, a user's missing team is none rather than an empty string, and the data is unchanged."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [
        ("catalogue", None),
        ("accounts", "0004_reference_data_permissions"),
        ("brokerage", "0004_serviceagreement_bid_serviceagreement_created_by_and_more"),
        ("providers", "0002_taxonomy_mapping"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before[1:]).apps
    old.get_model("brokerage", "Area").objects.create(name="Docklands", team="docks")
    old.get_model("accounts", "User").objects.create(username="dana", team="")
    old.get_model("accounts", "User").objects.create(username="dora", team="docks")
    old.get_model("providers", "TaxonomyMapping").objects.create(term="Meals", service_type="meals")
    old.get_model("providers", "TaxonomyMapping").objects.create(term="Dementia", specialism="dementia")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from accounts.models import User
    from providers.models import TaxonomyMapping

    assert Team.objects.get(code="docks").name == "Docks"
    assert Area.objects.get(name="Docklands").team_id == "docks"
    assert User.objects.get(username="dana").team_id is None
    assert User.objects.get(username="dora").team_id == "docks"
    assert TaxonomyMapping.objects.get(term="Meals").service_type.name == "Meals on wheels"
    assert TaxonomyMapping.objects.get(term="Dementia").service_type_id is None
    assert ServiceType.objects.count() == 19
