"""The channel registry: every consumer asks it, none switches on a channel's code."""

from importlib import import_module

from django.core.exceptions import ValidationError

from subscriptions import address_crypto
from subscriptions.channels.base import Channel

_channels: dict[str, Channel] = {}
_loaded = False


def register(channel: Channel) -> Channel:
    """Add a channel; a second channel with the same code is a programming error."""
    if channel.code in _channels and _channels[channel.code] is not channel:
        raise ValueError(f"channel {channel.code!r} is registered twice")
    if len(channel.code) > 16:
        raise ValueError(f"channel code {channel.code!r} is longer than its column")
    _channels[channel.code] = channel
    address_crypto.channel_encrypted_set(channel.code, channel.encrypt_address)
    return channel


def _load() -> None:
    # Imported on first use, not at import time: channel modules import the
    # models and messages, which must not be needed to import the registry.
    global _loaded
    if not _loaded:
        from subscriptions.channels import MODULES

        for module in MODULES:
            import_module(module)
        # In the order of MODULES, whichever module was imported first.
        order = {module: n for n, module in enumerate(MODULES)}
        ranked = sorted(_channels.values(), key=lambda c: order.get(type(c).__module__, len(order)))
        _channels.clear()
        _channels.update((spec.code, spec) for spec in ranked)
        _loaded = True


def channels_load() -> None:
    """Register every channel now (the app's `ready`): the models ask which ones encrypt."""
    _load()


def all_channels() -> list[Channel]:
    """Every registered channel, in the order of `MODULES`."""
    _load()
    return list(_channels.values())


def address_channels() -> list[Channel]:
    """The channels that reach residents through their `Address` rows."""
    return [channel for channel in all_channels() if channel.uses_addresses]


def channel(code: str) -> Channel:
    """The channel with this code; KeyError when there is none."""
    _load()
    return _channels[code]


def channel_or_invalid(code: str, *, field: str = "channel") -> Channel:
    """The channel with this code, or a ValidationError naming the field."""
    _load()
    if code not in _channels:
        raise ValidationError({field: f"unknown channel {code!r}"})
    return _channels[code]


def channel_choices() -> list[tuple[str, str]]:
    """(code, label) pairs, for forms and filters; the database column has no choices."""
    return [(channel.code, channel.label) for channel in all_channels()]


def fallback_rank(code: str) -> int:
    """A channel's default place in a subscriber's order (`Channel.fallback_rank`); unknown last."""
    _load()
    spec = _channels.get(code)
    return spec.fallback_rank if spec else 1000


def address_order(addresses) -> list:
    """`Address` rows in the order they are tried: the subscriber's `preference`, then the channel's."""
    return sorted(
        addresses, key=lambda row: (row.preference, fallback_rank(row.channel), row.channel)
    )
