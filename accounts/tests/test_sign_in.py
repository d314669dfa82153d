"""Signing in: every page needs it, and repeated wrong passwords lock the account."""

from django.urls import reverse

from .factories import UserFactory

PASSWORD = "a-long-test-password"


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_pages_need_signing_in(client, db):
    response = client.get(reverse("brokerage:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_right_password_signs_in(client, role_groups):
    user = UserFactory(roles=["social_worker"], password=PASSWORD)
    assert sign_in(client, user.username, PASSWORD).status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_wrong_password_is_refused_with_a_message(client, role_groups):
    user = UserFactory(roles=["social_worker"], password=PASSWORD)
    response = sign_in(client, user.username, "wrong")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, role_groups):
    user = UserFactory(roles=["social_worker"], password=PASSWORD)
    for _ in range(5):
        sign_in(client, user.username, "wrong")
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked for 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
