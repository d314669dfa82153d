"""The admin holds reference data for finance and admin officers; case data is read-only there."""

from django.urls import reverse

from audit.models import AuditEvent
from brokerage.models import Area


def test_finance_officer_adds_an_area_and_it_is_audited(client, finance_officer):
    client.force_login(finance_officer)
    response = client.post(reverse("admin:brokerage_area_add"), {"name": "Docklands", "team": "east"})
    assert response.status_code == 302
    area = Area.objects.get(name="Docklands")
    assert AuditEvent.objects.filter(actor=finance_officer, object_id=str(area.pk), action="created").exists()


def test_finance_officer_cannot_touch_case_data_in_admin(client, finance_officer, person):
    client.force_login(finance_officer)
    assert client.get(reverse("admin:people_person_change", args=[person.pk])).status_code == 403
    assert client.get(reverse("admin:people_person_changelist")).status_code == 403


def test_superuser_sees_case_data_read_only(client, django_user_model, person):
    admin = django_user_model.objects.create_superuser("root", "root@example.gov.uk", "a-long-password-1")
    client.force_login(admin)
    response = client.post(reverse("admin:people_person_change", args=[person.pk]), {"last_name": "Changed"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.last_name != "Changed"


def test_officer_is_sent_to_admin_sign_in(client, officer_east):
    client.force_login(officer_east)
    assert client.get(reverse("admin:index")).status_code == 302
