"""The ways a message leaves the hub: one module per channel, registered in `MODULES`.

Each sender raises one of the errors below on failure. A channel module
declares everything about its channel once (see `base.Channel`) and calls
`registry.register`; the rest of the hub iterates `registry.all_channels()`.
"""


class DeliveryError(Exception):
    """Worth another try later (network trouble, 5xx, 429)."""


class Gone(DeliveryError):
    """The recipient no longer exists (404/410): stop sending to it."""


class Rejected(DeliveryError):
    """Refused for good (a malformed request): retrying cannot help."""


class Refused(Rejected):
    """The address leads to no host the hub may reach (an internal one): nothing was sent.

    The delivery is dead, and the address is treated as gone (switched off, or
    the gateway disabled) with the reason, so it is not tried again.
    """


class Limited(DeliveryError):
    """Refused for now by the provider's limit for this recipient (SMS: per number and day,
    one identical text per 30 s): the message is held until `retry_after` seconds have
    passed, without counting as a failed attempt."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


# The registered channels, imported on first use of the registry. In this
# order they are planned, shown and offered.
MODULES = [
    "subscriptions.channels.webpush",
    "subscriptions.channels.email",
    "subscriptions.channels.webhook",
    "subscriptions.channels.sms",
    "subscriptions.channels.voice",
    "subscriptions.channels.wechat",
]
