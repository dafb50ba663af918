"""The ways a message leaves the hub. Each sender raises one of these on failure."""


class DeliveryError(Exception):
    """Worth another try later (network trouble, 5xx, 429)."""


class Gone(DeliveryError):
    """The recipient no longer exists (404/410): stop sending to it."""


class Rejected(DeliveryError):
    """Refused for good (a malformed request): retrying cannot help."""
