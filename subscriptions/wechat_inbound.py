"""What the WeChat account pushes about residents: an unfollow, and how a template message went.

The account's server URL (`subscriptions.wechat_views.events`) comes here
once WeChat's signature checked out; tests call these directly too.
"""

from django.utils import timezone

from subscriptions.models import Address, Receipt
from subscriptions.operations import subscription_unsubscribe
from subscriptions.receipts import Report, receipts_report

CHANNEL = "wechat"
# TEMPLATESENDJOBFINISH's Status when the follower turned the account's messages off.
USER_BLOCK = "failed:user block"


def wechat_unfollowed(*, openid: str) -> int:
    """The follower unfollowed the account: as an unsubscribe link does, forget their openid.

    Returns how many subscriptions stopped sending to WeChat (a subscription
    left with no way to reach anyone is deleted).
    """
    subscription_ids = list(
        Address.objects.at(CHANNEL, openid).values_list("subscription_id", flat=True)
    )
    for subscription_id in subscription_ids:
        subscription_unsubscribe(
            subscription_id=subscription_id, channel_code=CHANNEL, reason="微信取消关注"
        )
    return len(subscription_ids)


def wechat_send_finished(*, provider: str, openid: str, msgid: str, status: str) -> int:
    """TEMPLATESENDJOBFINISH: record WeChat's word on the message; returns receipts matched.

    `success` is delivered; `failed:user block` (the follower refused the
    account's messages) is failed and switches the address off, as a refusal
    when sending does; `failed: system failed` is failed only.
    """
    status = status.strip()
    matched = receipts_report(
        channel=CHANNEL,
        provider=provider,
        reports=[
            Report(provider_id=msgid, phone=openid, delivered=status == "success", code=status)
        ],
    )
    if matched and status == USER_BLOCK:
        address_ids = Receipt.objects.filter(provider=provider, provider_id=msgid).values_list(
            "delivery__address_id", flat=True
        )
        Address.objects.at(CHANNEL, openid).filter(pk__in=list(address_ids)).update(
            active=False, updated_at=timezone.now()
        )
    return matched
