"""Two-step verification: administrators and reviewers type a code from their phone after the password."""

import base64
import os
import re
import subprocess
import sys
from io import StringIO

from django.core.management import call_command

import pytest
from cryptography.fernet import Fernet
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

ENROL = "/admin/two-factor/enrol/"
VERIFY = "/admin/two-factor/verify/"


def sign_in(client, username: str):
    return client.post("/admin/login/", {"username": username, "password": "x"}, follow=True)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the phone shows now (or a step later: a code is accepted once)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, steps_ahead):06d}"


def enrol(client, user) -> TOTPDevice:
    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()
    return device


@pytest.fixture
def production_rule(settings):
    """As production settings have it."""
    settings.LINLI_TWO_FACTOR_REQUIRED = True


# At the start of a 30-second step, so a test's few seconds stay within it.
START = "2026-03-02 09:00:00"


def test_a_reviewer_is_sent_to_enrol_before_reaching_the_admin(people, client, production_rule):
    with freeze_time(START) as now:
        landed = sign_in(client, "reviewer")

        assert landed.redirect_chain[-1][0].startswith(f"{ENROL}?next=")
        text = landed.content.decode()
        assert "开启两步验证" in text
        assert "<svg" in text  # the QR code
        secret = re.search(r"data-secret>([A-Z2-7 ]+)<", text).group(1)
        # Every admin page leads back here until a code is confirmed.
        assert client.get("/admin/pages/").url == f"{ENROL}?next=%2Fadmin%2Fpages%2F"
        assert client.get("/admin/two-factor/").url.startswith(ENROL)

        device = TOTPDevice.objects.get(user=people.reviewer, confirmed=False)
        assert secret.replace(" ", "") == base64.b32encode(device.bin_key).decode().rstrip("=")
        wrong = client.post(ENROL, {"code": "000000", "next": "/admin/pages/"})
        assert "验证码不对" in wrong.content.decode()
        now.tick(5)
        done = client.post(ENROL, {"code": code_for(device), "next": "/admin/pages/"})

        assert done.url == "/admin/pages/"
        assert client.get("/admin/").status_code == 200
        device.refresh_from_db()
        assert device.confirmed


def test_an_enrolled_reviewer_types_the_code_after_the_password(people, client, production_rule):
    with freeze_time(START) as now:
        sign_in(client, "reviewer")
        device = enrol(client, people.reviewer)
        client.post("/admin/logout/")

        landed = sign_in(client, "reviewer")

        assert landed.redirect_chain[-1][0].startswith(f"{VERIFY}?next=")
        assert "输入验证码" in landed.content.decode()
        assert client.get("/admin/").url.startswith(VERIFY)
        assert "验证码不对" in client.post(VERIFY, {"code": "123456"}).content.decode()
        now.tick(5)
        # The code used to enrol is spent; the phone's next one opens the admin.
        assert "验证码不对" in client.post(VERIFY, {"code": code_for(device)}).content.decode()
        now.tick(10)
        assert (
            client.post(VERIFY, {"code": code_for(device, 1), "next": "/admin/"}).url == "/admin/"
        )
        assert client.get("/admin/").status_code == 200


def test_a_password_alone_opens_nothing_outside_the_admin_either(people, client, production_rule):
    sign_in(client, "reviewer")

    response = client.get("/admin/login/", follow=True)

    # Signed in but unverified: only the enrolment page, never the dashboard.
    assert response.redirect_chain[-1][0].startswith(ENROL)


def test_a_community_editor_is_not_asked(people, client, production_rule):
    landed = sign_in(client, "editor_a")

    assert landed.redirect_chain == [("/admin/", 302)]
    assert landed.status_code == 200


def test_superusers_are_asked_too(client, django_user_model, production_rule):
    django_user_model.objects.create_superuser("root", "r@linli.invalid", "x")

    assert sign_in(client, "root").redirect_chain[-1][0].startswith(ENROL)


def test_without_the_rule_anyone_may_enrol_and_is_then_asked(people, client, settings):
    settings.LINLI_TWO_FACTOR_REQUIRED = False
    landed = sign_in(client, "reviewer")
    assert landed.redirect_chain == [("/admin/", 302)]

    settings_page = client.get("/admin/two-factor/")
    assert "两步验证尚未开启" in settings_page.content.decode()
    device = enrol(client, people.reviewer)
    client.post("/admin/logout/")

    assert sign_in(client, "reviewer").redirect_chain[-1][0].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(device, 1)})
    assert "两步验证已开启" in client.get("/admin/two-factor/").content.decode()

    # Optional, so it can be turned off again.
    client.post("/admin/two-factor/remove/")
    assert not TOTPDevice.objects.filter(user=people.reviewer).exists()
    client.post("/admin/logout/")
    assert sign_in(client, "reviewer").redirect_chain == [("/admin/", 302)]


def test_a_required_person_moving_phones_enrols_the_new_one_at_once(
    people, client, production_rule
):
    sign_in(client, "reviewer")
    enrol(client, people.reviewer)

    moved = client.post("/admin/two-factor/remove/", follow=True)

    assert moved.redirect_chain[-1][0].startswith(ENROL)
    assert not TOTPDevice.objects.filter(user=people.reviewer, confirmed=True).exists()


def test_an_administrator_resets_a_lost_phone_with_a_command(people, client, production_rule):
    sign_in(client, "reviewer")
    enrol(client, people.reviewer)
    client.post("/admin/logout/")
    out = StringIO()

    call_command("two_factor_reset", "reviewer", stdout=out)

    assert "reviewer" in out.getvalue()
    assert sign_in(client, "reviewer").redirect_chain[-1][0].startswith(ENROL)


def test_wrong_codes_slow_down(people, client, production_rule):
    sign_in(client, "reviewer")
    device = enrol(client, people.reviewer)
    client.post("/admin/logout/")
    sign_in(client, "reviewer")
    client.post(VERIFY, {"code": "000000"})

    # Right after a wrong code the next try waits, even with the right code.
    answer = client.post(VERIFY, {"code": code_for(device, 1)})

    assert "错误次数太多" in answer.content.decode()
    assert client.get("/admin/").url.startswith(VERIFY)


def test_the_enrolment_page_does_not_send_a_password_only_session_elsewhere(
    people, client, production_rule
):
    sign_in(client, "reviewer")

    # An unsafe next is ignored: the admin's home instead.
    page = client.get(f"{ENROL}?next=https://evil.example/")

    assert 'value="/admin/"' in page.content.decode()


def test_production_settings_require_it(settings):
    env = {
        **{k: v for k, v in os.environ.items() if k != "LINLI_TWO_FACTOR_REQUIRED"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "linli.example.org",
        "LINLI_ADDRESS_KEY": Fernet.generate_key().decode(),
    }
    printed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.LINLI_TWO_FACTOR_REQUIRED)",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    assert printed.stdout.strip().splitlines()[-1] == "True"
