"""Relays (网格员/楼栋长) and their acknowledgements (已转告): docs/decisions/0014-relays.md."""

from django.db import models


class Relay(models.Model):
    """A grid worker (网格员) or building head (楼栋长) who tells households of urgent notices.

    Staff add relays in the admin; a relay never signs in. Their phone number
    or email is an `Address` of their own `subscription` (flagged `is_relay`),
    so urgent notices reach them through the same planning, sending, retries
    and receipts as residents. The households they relay for count as reached
    once they tap 已转告 (`RelayAcknowledgement`).
    """

    name = models.CharField("姓名", max_length=50)
    community = models.CharField("社区", max_length=40, help_text="社区代码")
    grid = models.CharField(
        "网格/楼栋", max_length=60, blank=True, help_text="例如“第三网格”“5 号楼”，可不填。"
    )
    households = models.PositiveIntegerField(
        "转告户数", default=0, help_text="这位转告人负责当面或电话告知的住户数。"
    )
    active = models.BooleanField("启用", default=True)
    subscription = models.OneToOneField(
        "subscriptions.Subscription",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="relay",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "转告人"
        verbose_name_plural = "转告人（网格员/楼栋长）"
        indexes = [models.Index(fields=["community", "active"])]

    def __str__(self):
        return f"{self.name}（{self.grid}）" if self.grid else self.name


class RelayAcknowledgement(models.Model):
    """A relay said they passed an urgent notice on (已转告): once per relay and notice."""

    # Kept when the relay is deleted: who was reached stays counted.
    relay = models.ForeignKey(
        Relay, null=True, on_delete=models.SET_NULL, related_name="acknowledgements"
    )
    notification = models.ForeignKey(
        "subscriptions.Notification",
        on_delete=models.CASCADE,
        related_name="relay_acknowledgements",
    )
    # Copied at the time: a relay changed later does not rewrite who was reached.
    community = models.CharField(max_length=40)
    households = models.PositiveIntegerField(default=0)
    acknowledged_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["relay", "notification"], name="one_acknowledgement_per_relay_notification"
            ),
        ]

    def __str__(self):
        return f"{self.relay} {self.acknowledged_at:%Y-%m-%d %H:%M}"
