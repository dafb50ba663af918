"""Signing in to the admin from a browser test, the two-step code included."""

import base64

from django_otp.oath import totp
from playwright.sync_api import Page


def admin_sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Fill in Wagtail's login form; where the page lands is for the test to check."""
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def authenticator_code(key: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key the enrolment page prints (base32, grouped)."""
    secret = key.replace(" ", "").strip()
    secret += "=" * (-len(secret) % 8)
    return f"{totp(base64.b32decode(secret), drift=steps_ahead):06d}"
