"""Separate consent (单独同意) for sensitive topics, and how those topics are worded.

Subscribing to news for a sensitive resident category (`ResidentCategory.is_sensitive`:
disability, low income, older people living alone, entitled groups) tells the
hub something about the subscriber or their family: sensitive personal
information under PIPL (个人信息保护法, Art. 28–29). It needs its own consent, given
with the purpose in plain words, separate from the sign-up itself. The text a
resident agreed to is versioned: its version and the time are kept on the
subscription (and in their export), so a later change of wording never
rewrites what someone agreed to. A new version is a new key; old keys stay.

The choice is worded as a topic ("残疾人相关政策"), not as a statement about
oneself ("我是残疾人"): a carer, a neighbour or a social worker subscribes too.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from home.models import ResidentCategory

# What residents agree to, by version. The version in force is the last one.
CONSENT_TEXTS = {
    "2026-12": _(
        "我单独同意：为了给我发送所选专题（如残疾人、低收入家庭相关政策）的信息，"
        "本站保存我选择的这些专题。这些专题可能让人推测我或家人的情况，"
        "所以只用于发送信息，工作人员只看得到订阅人数，看不到是谁；"
        "每年请我确认一次，不确认就不再发送这些专题；我可以随时取消。"
    ),
}
CONSENT_VERSION = "2026-12"
# Consent to sensitive topics is confirmed again every year (subscriptions.reconfirm).
RENEW_AFTER = datetime.timedelta(days=365)

# Sensitive categories worded as topics; another sensitive category reads "<name>相关政策".
TOPICS = {
    "disability": _("残疾人相关政策"),
    "low_income": _("低收入家庭救助政策"),
    "elderly_alone": _("高龄、独居老人关爱政策"),
    "entitled": _("优抚对象相关政策"),
}


def consent_text(version: str = CONSENT_VERSION) -> str:
    """The consent text of a version, in the active language."""
    return str(CONSENT_TEXTS[version])


def topic_name(code: str, name: str, sensitive: bool) -> str:
    """How a category is offered: a sensitive one as a topic, never as who one is."""
    if not sensitive:
        return name
    if code in TOPICS:
        return str(TOPICS[code])
    return str(_("{name}相关政策")).format(name=name)


def sensitive_codes() -> set[str]:
    """Codes of the sensitive categories (the default locale's rows carry the flag)."""
    return set(
        ResidentCategory.objects.in_default_locale()
        .filter(is_sensitive=True)
        .values_list("code", flat=True)
    )


def consent_needed(*, before: list[str], after: list[str]) -> bool:
    """True when `after` adds a sensitive category that `before` did not have."""
    added = set(after) - set(before)
    return bool(added & sensitive_codes())


def consent_record(subscription, *, given: bool, now: datetime.datetime | None = None) -> None:
    """Keep the consent on the subscription (not saved here) as its categories now stand.

    Ticked with a sensitive category: the time and the text's version are
    recorded (anew, when ticked again). No sensitive category left: nothing
    is kept, as there is nothing left to consent to.
    """
    if not set(subscription.resident_categories) & sensitive_codes():
        subscription.sensitive_consent_at = None
        subscription.sensitive_consent_version = ""
        subscription.sensitive_reminded_at = None
    elif given:
        subscription.sensitive_consent_at = now or timezone.now()
        subscription.sensitive_consent_version = CONSENT_VERSION
        subscription.sensitive_reminded_at = None  # the next reminder is a year away


def consent_repr(subscription) -> dict | None:
    """The consent as the subscription API and the export show it."""
    if subscription.sensitive_consent_at is None:
        return None
    version = subscription.sensitive_consent_version
    return {
        "given_at": subscription.sensitive_consent_at.isoformat(),
        "version": version,
        "text": consent_text(version) if version in CONSENT_TEXTS else "",
        "renew_by": (subscription.sensitive_consent_at + RENEW_AFTER).isoformat(),
    }
