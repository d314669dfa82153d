"""Every user can change their password, and reset a forgotten one by e-mail."""

import re

from django.core import mail
from django.urls import reverse

from .factories import UserFactory

OLD = "an-old-long-password"
NEW = "a-brand-new-long-password-2026"


def can_sign_in(client, user, password) -> bool:
    client.logout()
    client.post(reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR="10.0.0.9")
    return client.session.get("_auth_user_id") == str(user.pk)


def test_every_signed_in_page_offers_a_password_change(client, role_groups):
    for role in ["social_worker", "cap_member", "finance_officer", "review_team"]:
        client.force_login(UserFactory(roles=[role]))
        assert reverse("password_change") in client.get(reverse("home")).content.decode()


def test_a_user_changes_their_password(client, role_groups):
    user = UserFactory(roles=["social_worker"], password=OLD)
    client.force_login(user)
    response = client.post(
        reverse("password_change"), {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert can_sign_in(client, user, NEW)
    assert not can_sign_in(client, user, OLD)


def test_a_wrong_old_password_changes_nothing_and_says_why(client, role_groups):
    user = UserFactory(roles=["brokerage_officer"], team="east", password=OLD)
    client.force_login(user)
    response = client.post(
        reverse("password_change"), {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    assert 'href="#id_old_password"' in response.content.decode()  # the error summary links to the field
    assert can_sign_in(client, user, OLD)


def test_a_weak_new_password_is_refused(client, role_groups):
    user = UserFactory(roles=["social_worker"], password=OLD)
    client.force_login(user)
    response = client.post(
        reverse("password_change"), {"old_password": OLD, "new_password1": "short", "new_password2": "short"}
    )
    assert "This password is too short" in response.content.decode()
    assert can_sign_in(client, user, OLD)


def test_a_forgotten_password_is_reset_by_e_mail(client, role_groups):
    user = UserFactory(roles=["social_worker"], password=OLD, email="sam@riverside.example.gov.uk")
    response = client.post(reverse("password_reset"), {"email": "sam@riverside.example.gov.uk"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sam@riverside.example.gov.uk"]
    link = re.search(r"https?://[^/]+(/account/password/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert can_sign_in(client, user, NEW)

    client.logout()
    assert "This link does not work" in client.get(link, follow=True).content.decode()  # used once only


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, role_groups):
    UserFactory(roles=["social_worker"], email="sam@riverside.example.gov.uk")
    response = client.post(reverse("password_reset"), {"email": "nobody@riverside.example.gov.uk"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_reset_pages_need_no_sign_in(client, db):
    for name in ["password_reset", "password_reset_done", "password_reset_complete"]:
        assert client.get(reverse(name)).status_code == 200
