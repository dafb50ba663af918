"""Wrong passwords lock an account at the address they came from, until it cools off or is unlocked."""

from django.core.management import call_command

import pytest

LOGIN = "/admin/login/"
LOCKED = "登录失败次数过多"


def sign_in(client, password: str, address: str = "198.51.100.7"):
    return client.post(LOGIN, {"username": "reviewer", "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


@pytest.fixture
def reviewer(people):
    return people.reviewer


def test_fifty_wrong_passwords_lock_the_account_at_that_address(reviewer, client):
    for _ in range(50):
        sign_in(client, "wrong")

    response = sign_in(client, "x")

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # The login page is shown again, with the lock as its error.
    assert 'name="password"' in response.content.decode()
    assert not signed_in(client)


def test_the_lock_starts_at_the_limit_and_names_no_one_else(reviewer, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200
    locked = sign_in(client, "wrong")

    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    # The same account from another address, and the right password there, still work.
    assert sign_in(client, "x", address="203.0.113.9").status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_forgets_earlier_typos(reviewer, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "x").status_code == 302
    client.post("/admin/logout/")

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")

    assert sign_in(client, "x").status_code == 302


def test_an_administrator_unlocks_the_account_with_a_command(reviewer, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    assert sign_in(client, "x").status_code == 429

    call_command("axes_reset_username", "reviewer", verbosity=0)

    assert sign_in(client, "x").status_code == 302
    assert signed_in(client)
