"""Who hears about what, and the record of every message sent to them.

A `Subscription` is a resident's (or carer's) choice of categories, content
types and communities; it needs no account and is reached through a manage
token that is stored only as a hash. Its `Address` rows say how to reach
them, one per channel (the channels are declared in `subscriptions.channels`).
Publishing creates one `Notification` per page revision; planning turns it
into `Delivery` rows, at most one per (notification, subscription, channel) by
a database constraint, so reruns and crashed workers can never message anyone
twice.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import ChoiceListField
from subscriptions import address_crypto

CONTENT_TYPES = [("notice", "通知公告"), ("service", "服务事项"), ("event", "文化活动")]
LOCALES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
DEFAULT_QUIET_START = datetime.time(21, 0)
DEFAULT_QUIET_END = datetime.time(8, 0)


class Relationship(models.TextChoices):
    """Who a carer subscribes for (为家人订阅): a fixed list, named in the messages."""

    MOTHER = "mother", _("母亲")
    FATHER = "father", _("父亲")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    SIBLING = "sibling", _("兄弟姐妹")
    RELATIVE = "relative", _("其他亲属")
    NEIGHBOUR = "neighbour", _("邻居")
    FRIEND = "friend", _("朋友")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "即时"
    DAILY = "daily", "每日摘要"
    WEEKLY = "weekly", "每周摘要"


class QuietHours(models.Model):
    """Hours in Beijing time when non-urgent messages wait; start == end or blank means none."""

    quiet_start = models.TimeField("免打扰开始", null=True, blank=True, default=DEFAULT_QUIET_START)
    quiet_end = models.TimeField("免打扰结束", null=True, blank=True, default=DEFAULT_QUIET_END)

    class Meta:
        abstract = True


class Subscription(QuietHours):
    """A resident's choice of what to hear about; how to reach them is in its addresses."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    resident_categories = ChoiceListField(blank=True)
    content_types = ChoiceListField(choices_list=CONTENT_TYPES)
    communities = ChoiceListField(blank=True, help_text="community codes; empty means all")
    locale = models.CharField(max_length=16, choices=LOCALES, default="zh-hans")
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default="immediate")
    # Separate consent for sensitive categories (subscriptions.consent): when it was
    # given and the version of the text agreed to; blank while none is subscribed.
    sensitive_consent_at = models.DateTimeField(null=True, blank=True)
    sensitive_consent_version = models.CharField(max_length=16, blank=True)
    # When the yearly reminder to confirm it again went (subscriptions.reconfirm).
    sensitive_reminded_at = models.DateTimeField(null=True, blank=True)
    # 为家人订阅: made by a carer for someone else, who agreed (the carer said so, then).
    on_behalf_relationship = models.CharField(
        max_length=16, choices=Relationship.choices, blank=True
    )
    on_behalf_agreed_at = models.DateTimeField(null=True, blank=True)
    # A relay's own subscription (`Relay.subscription`): told of urgent notices by the
    # relay rule only, never matched as a resident (docs/decisions/0014-relays.md).
    is_relay = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"subscription #{self.pk}"

    @property
    def on_behalf(self) -> bool:
        return bool(self.on_behalf_relationship)

    def address(self, channel: str) -> "Address | None":
        """This subscription's address on a channel (from prefetched addresses when there are)."""
        for row in self.addresses.all():
            if row.channel == channel:
                return row
        return None


class AddressField(models.CharField):
    """An address, stored encrypted for channels with `encrypt_address` (phone numbers, openids).

    The row's code reads and writes the plain address; only the database holds
    the encrypted form (`subscriptions.address_crypto`), with the keyed hash it
    is found by in `address_hash`, both written whenever the address is saved.
    Filtering on the column cannot find an encrypted address: look addresses up
    with `Address.objects.at()`.
    """

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if value and address_crypto.channel_encrypted(model_instance.channel):
            model_instance.address_hash = address_crypto.digest(model_instance.channel, value)
            return address_crypto.encrypt(value)
        model_instance.address_hash = ""
        return value

    def from_db_value(self, value, expression, connection):
        return value if value is None else address_crypto.decrypt(value)


class AddressQuerySet(models.QuerySet):
    def live(self):
        """Addresses a message may go to: switched on and confirmed."""
        return self.filter(active=True, confirmed_at__isnull=False)

    def at(self, channel: str, address: str):
        """Rows holding this address on this channel: the one way to look an address up.

        Encrypted addresses are found by their keyed hash, under the current key
        and any old one still accepted during a rotation.
        """
        if address_crypto.channel_encrypted(channel):
            return self.filter(
                channel=channel, address_hash__in=address_crypto.digests(channel, address)
            )
        return self.filter(channel=channel, address=address)

    def same_as(self, channel: str, address: str):
        """Rows holding this address however it is capitalised (encrypted ones are normalised)."""
        if address_crypto.channel_encrypted(channel):
            return self.at(channel, address)
        return self.filter(channel=channel, address__iexact=address)


class Address(models.Model):
    """One way to reach a subscriber: a channel's code and the address on it.

    `channel` is a code from the channel registry, checked in code rather than
    by database choices, so a new channel needs no migration. An address is
    live when it is active and confirmed; channels whose address proves itself
    (a browser's push subscription) are confirmed when they are added.
    """

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="addresses"
    )
    channel = models.CharField(max_length=16)
    address = AddressField(max_length=1000)
    # For encrypted addresses: HMAC-SHA256 of the address under a key derived from
    # LINLI_ADDRESS_KEY, which `at()` finds them by; blank for the others.
    address_hash = models.CharField(max_length=64, blank=True, editable=False)
    # What the channel needs besides the address, e.g. web push keys (p256dh, auth).
    data = models.JSONField(default=dict, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # For addresses confirmed by a message: whose mailbox it is (the channel's
    # `mailbox`), and when its confirmation was last sent. One mailbox has one
    # pending confirmation at a time.
    mailbox = models.CharField(max_length=254, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    preference = models.PositiveSmallIntegerField(default=0, help_text="lower is tried first")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AddressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "channel"], name="one_address_per_subscription_channel"
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "address"]),
            models.Index(fields=["channel", "address_hash"]),
            models.Index(fields=["channel", "mailbox"]),
        ]

    def __str__(self):
        return f"{self.channel} address #{self.pk}"

    @property
    def live(self) -> bool:
        return self.active and self.confirmed_at is not None


class WebhookEndpoint(QuietHours):
    """A gateway (SMS, messaging app) registered by staff; it receives signed JSON for its audience."""

    name = models.CharField("名称", max_length=100)
    url = models.URLField("地址", max_length=500)
    secret = models.CharField("签名密钥", max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    resident_categories = ChoiceListField("面向人群", blank=True, help_text="不选表示所有人群。")
    communities = ChoiceListField("社区", blank=True, help_text="不选表示所有社区。")
    content_types = ChoiceListField(
        "内容类型", blank=True, choices_list=CONTENT_TYPES, help_text="不选表示全部类型。"
    )
    locale = models.CharField("语言", max_length=16, choices=LOCALES, default="zh-hans")
    active = models.BooleanField("启用", default=True)
    disabled_reason = models.CharField("停用原因", max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "网关回调"
        verbose_name_plural = "网关回调"

    def __str__(self):
        return self.name


class Notification(models.Model):
    """One reason to message people: a published revision, a correction, or a digest period."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", "发布"
        CORRECTION = "correction", "更正"
        DIGEST = "digest", "摘要"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # For a page: which revision, so one revision is announced once.
    key = models.CharField(max_length=80, help_text="revision id, or the digest period")
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    translation_key = models.UUIDField(null=True, blank=True)
    type = models.CharField(max_length=16, blank=True)
    title = models.CharField(max_length=255, blank=True)
    community = models.CharField(max_length=40, blank=True)
    audience = models.JSONField(default=list, blank=True)
    urgent = models.BooleanField(default=False)
    reason = models.CharField(max_length=20, blank=True, help_text="why a correction is sent")
    expires_at = models.DateTimeField(null=True, blank=True)
    # When residents can first see the page (a notice's 生效时间): nothing is sent before.
    visible_from = models.DateTimeField(null=True, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Planning progress: subscriptions are planned in id order, so a rerun
    # continues after the last committed batch.
    planned_through = models.BigIntegerField(default=0)
    planning_touched_at = models.DateTimeField(null=True, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    audience_size = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="one_notification_per_key"),
        ]
        indexes = [
            models.Index(fields=["translation_key", "kind"]),
            models.Index(fields=["planned_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.title or self.key}"


class Delivery(models.Model):
    """One message to one recipient on one channel, with its sending state."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        HELD = "held", "免打扰暂缓"
        WAITING = "waiting", "等待摘要"
        SENDING = "sending", "发送中"
        FAILED = "failed", "失败待重试"
        SENT = "sent", "已送达"
        DEAD = "dead", "放弃"
        CANCELLED = "cancelled", "已取消"
        BUNDLED = "bundled", "并入摘要"

    # Rows a worker may pick up once `next_attempt_at` has come.
    DUE = (Status.QUEUED, Status.HELD, Status.FAILED)

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The address planned for; the channel stays when the address is removed.
    address = models.ForeignKey(
        Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    channel = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="bundled"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Fallback (urgent notices, docs/push.md "Fallback"): until when this
    # delivery may prove it arrived before the message passes to the
    # subscriber's next channel; cleared once it arrived or passed on.
    fallback_at = models.DateTimeField(null=True, blank=True)
    # The delivery on an earlier channel that passed the message to this one.
    fallback_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="fallbacks"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "subscription", "channel"],
                name="one_delivery_per_subscription_channel",
            ),
            models.UniqueConstraint(
                fields=["notification", "endpoint"],
                condition=Q(endpoint__isnull=False),
                name="one_delivery_per_endpoint",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["notification", "status"]),
            models.Index(fields=["claim"]),
            models.Index(fields=["subscription", "status"]),
            # The sweep reads only the deliveries still waiting to pass on.
            models.Index(
                fields=["fallback_at"],
                condition=Q(fallback_at__isnull=False),
                name="delivery_fallback_pending",
            ),
        ]

    def __str__(self):
        return f"delivery #{self.pk} {self.channel} {self.status}"


class Unsubscription(models.Model):
    """Why someone left: a channel and an optional reason, with nothing that identifies them."""

    channel = models.CharField(max_length=16)
    reason = models.CharField(max_length=300, blank=True)
    one_click = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.channel} {self.created_at:%Y-%m-%d}"


class Receipt(models.Model):
    """What a provider said about one delivery: its id for the message, then the carrier's report.

    Kept beside the delivery rather than in it, so planning's rows stay as they
    are and every channel with receipts (SMS, later voice and WeChat) shares it.
    Reports may come twice and in any order: the last word wins.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "已提交"
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "未送达"

    delivery = models.OneToOneField(
        Delivery, on_delete=models.CASCADE, primary_key=True, related_name="receipt"
    )
    provider = models.CharField(max_length=16, help_text="outbox, aliyun, tencent")
    provider_id = models.CharField(max_length=64, help_text="Aliyun BizId, Tencent SerialNo")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACCEPTED)
    code = models.CharField(max_length=64, blank=True, help_text="the carrier's code, e.g. DELIVRD")
    reported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["provider", "provider_id"])]

    def __str__(self):
        return f"{self.provider} {self.provider_id} {self.status}"


class ShortLink(models.Model):
    """A short path (`/s/<code>`) to a page, so a text message fits one billed SMS."""

    code = models.CharField(max_length=16, unique=True)
    url = models.CharField(max_length=500, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"/s/{self.code}"


# Relays (网格员/楼栋长) live in a module of their own; importing them here registers them.
from subscriptions.relay_models import Relay, RelayAcknowledgement  # noqa: E402, F401
